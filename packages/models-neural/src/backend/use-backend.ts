import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@musicrec/core';
import type { BackendName } from './backend-name';
import { resolveBackend } from './resolve-backend';

/** A model's `backend` option: 'auto' is whatever `resolveBackend` chose. */
export type BackendChoice = 'auto' | BackendName;

export const backendChoices: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/**
 * Makes `requested` the current TF.js backend (resolving first; 'auto' switches back to the
 * resolved one in case another model moved away from it) and returns the backend running.
 * A named backend that cannot start is a ConfigError, unless `fallback` is set: then the
 * resolved backend runs (loading a model saved on a GPU machine on a CPU-only one).
 */
export async function useBackend(requested: BackendChoice, options: { fallback?: boolean } = {}): Promise<BackendName> {
  const info = await resolveBackend();
  const target = requested === 'auto' ? info.name : requested;
  if (tf.getBackend() !== target) {
    let ok = false;
    try {
      ok = await tf.setBackend(target);
    } catch {
      ok = false;
    }
    if (!ok) {
      if (!options.fallback) throw new ConfigError(`TF.js backend "${target}" could not be started (resolved: ${info.name})`);
      await tf.setBackend(info.name);
    }
  }
  return tf.getBackend() as BackendName;
}
