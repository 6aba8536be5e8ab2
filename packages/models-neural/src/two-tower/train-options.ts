import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@musicrec/core';
import { resolveBackend } from '../backend';
import type { TrainConfig } from '../training';

/** A model's `backend` option: 'auto' = resolveBackend's order (tensorflow → webgpu → wasm → cpu). */
export type NeuralBackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const NEURAL_BACKENDS: readonly NeuralBackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Range checks of the shared training-loop options embedded in a model config. */
export function checkTrainOptions(model: string, c: Omit<TrainConfig, 'seed'>): void {
  for (const key of ['epochs', 'batchSize', 'patience', 'lrPatience'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < (key === 'batchSize' ? 1 : 0)) {
      throw new ConfigError(`${model}: option "${key}" must be an integer >= ${key === 'batchSize' ? 1 : 0}, got ${c[key]}`);
    }
  }
  for (const key of ['learningRate', 'lrFactor'] as const) {
    if (!(c[key] > 0)) throw new ConfigError(`${model}: option "${key}" must be > 0, got ${c[key]}`);
  }
  for (const key of ['clipNorm', 'minLearningRate'] as const) {
    if (!(c[key] >= 0)) throw new ConfigError(`${model}: option "${key}" must be >= 0, got ${c[key]}`);
  }
}

/** Brings up TF.js (resolveBackend) and switches to the requested backend when one is named; returns the backend in use. */
export async function activateBackend(requested: NeuralBackendChoice): Promise<string> {
  await resolveBackend();
  if (requested !== 'auto' && tf.getBackend() !== requested && !(await tf.setBackend(requested))) {
    throw new ConfigError(`backend "${requested}" could not be started (running: ${tf.getBackend()})`);
  }
  return tf.getBackend();
}
