import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@musicrec/core';
import { registerGradients } from '../kernels/register-gradients';
import { registerScatterAddKernels } from '../kernels/unsorted-segment-sum';
import { registerRowGatherKernels } from '../kernels/gather-rows';
import { registerUntransposedMatMul } from '../kernels/untransposed-matmul';
import type { BackendAttempt, BackendInfo, BackendName } from './backend-name';
import { defaultBackendOrder, isBackendName } from './backend-name';
import type { BackendStep } from './backend-steps';
import { backendSteps, failureReason } from './backend-steps';

/** Environment variable naming a backend to try first, e.g. MUSICREC_TF_BACKEND=cpu. */
export const BACKEND_ENV = 'MUSICREC_TF_BACKEND';

export interface ResolveBackendOptions {
  /** Backends to try, in order (default: tensorflow, webgpu, wasm, cpu). */
  order?: readonly BackendName[];
  /** Receives the one summary line (default: console.error, so stdout stays clean). */
  log?: (line: string) => void;
  /** Replaces how a backend is brought up (tests inject failing steps here). */
  steps?: Partial<Record<BackendName, BackendStep>>;
  /** Environment to read MUSICREC_TF_BACKEND from (default: process.env). */
  env?: Record<string, string | undefined>;
}

let resolved: Promise<BackendInfo> | null = null;

/** The order actually tried: the environment override first, then `order` without it. */
export function backendOrder(order: readonly BackendName[], env: Record<string, string | undefined>): BackendName[] {
  const forced = env[BACKEND_ENV]?.trim();
  if (!forced) return [...order];
  if (!isBackendName(forced)) {
    throw new ConfigError(`${BACKEND_ENV}="${forced}" is not a backend (known: ${defaultBackendOrder.join(', ')})`);
  }
  return [forced, ...order.filter((n) => n !== forced)];
}

/** `tfjs backend: wasm (tried tensorflow: not installed; webgpu: no adapter)` */
export function backendLogLine(info: BackendInfo): string {
  const failed = info.tried.filter((t) => !t.ok);
  const tried = failed.length > 0 ? ` (tried ${failed.map((t) => `${t.name}: ${t.error}`).join('; ')})` : '';
  return `tfjs backend: ${info.name}${tried}`;
}

async function resolveOnce(options: ResolveBackendOptions): Promise<BackendInfo> {
  // prod mode only silences tfjs's console warnings (each failed backend init, the cpu
  // backend's "install tfjs-node" banner): the one log line below says what failed
  tf.enableProdMode();
  await registerGradients();
  const order = backendOrder(options.order ?? defaultBackendOrder, options.env ?? process.env);
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const step = options.steps?.[name] ?? backendSteps[name];
    try {
      await step();
      tried.push({ name, ok: true });
      // both CPU backends get the scatter-add gradient of tf.gather, whichever one runs
      await import('@tensorflow/tfjs-backend-cpu');
      await import('@tensorflow/tfjs-backend-wasm');
      registerScatterAddKernels();
      registerRowGatherKernels();
      registerUntransposedMatMul();
      const info: BackendInfo = { name, tried };
      (options.log ?? ((line) => console.error(line)))(backendLogLine(info));
      return info;
    } catch (error) {
      tried.push({ name, ok: false, error: failureReason(error) });
    }
  }
  throw new ConfigError(`no TF.js backend could be started: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}

/**
 * Brings up the first TF.js backend that works, in DESIGN.md's order (tensorflow → webgpu →
 * wasm → cpu; MUSICREC_TF_BACKEND puts one first), registers TF.js's gradients and the
 * scatter-add kernel, and logs
 * one line saying which backend runs and why the ones before it did not. Idempotent: later
 * calls return the first call's result whatever their options (see `forgetResolvedBackend`).
 */
export function resolveBackend(options: ResolveBackendOptions = {}): Promise<BackendInfo> {
  if (!resolved) {
    resolved = resolveOnce(options);
    // a failed resolution is not cached: the caller may fix the environment and retry
    resolved.catch(() => {
      resolved = null;
    });
  }
  return resolved;
}

/** Drops the cached resolution so the next `resolveBackend` call resolves again (tests, benchmarks). */
export function forgetResolvedBackend(): void {
  resolved = null;
}

/** The backend TF.js currently runs on (after `resolveBackend`). */
export function currentBackendName(): string {
  return tf.getBackend();
}
