import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './backend-name';

/** How long a WebGPU adapter request or backend init may take before it counts as failed. */
export const WEBGPU_PROBE_TIMEOUT_MS = 5000;

/** Brings one backend up and makes it current; throws (with a short reason) when it cannot. */
export type BackendStep = () => Promise<void>;

/** A short reason for a failed step, for the log line and the report. */
export function failureReason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return 'not installed';
  const message = e?.message ?? String(error);
  return message.split('\n')[0].slice(0, 200);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function activate(name: BackendName): Promise<void> {
  // setBackend reports a failed init as `false` (after a console warning), not as an error
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
}

async function tensorflowStep(): Promise<void> {
  // optional dependency: absent unless libtensorflow could be downloaded at install time
  const specifier = '@tensorflow/tfjs-node-gpu';
  await import(/* @vite-ignore */ specifier);
  await activate('tensorflow');
}

async function webgpuStep(): Promise<void> {
  const { create, globals } = await import('webgpu');
  const gpu = create([]);
  const adapter = await withTimeout(gpu.requestAdapter(), WEBGPU_PROBE_TIMEOUT_MS, 'WebGPU adapter request');
  if (!adapter) throw new Error('no adapter');
  // tfjs-backend-webgpu looks for navigator.gpu and the GPU* constants on the global object
  Object.assign(globalThis, globals);
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (g.navigator) g.navigator.gpu = gpu;
  else g.navigator = { gpu };
  await import('@tensorflow/tfjs-backend-webgpu');
  await withTimeout(activate('webgpu'), WEBGPU_PROBE_TIMEOUT_MS, 'WebGPU backend init');
}

/** Directory holding tfjs-backend-wasm's .wasm binaries (Node cannot fetch them relative to the page). */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
}

async function wasmStep(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${wasmBinaryDir()}/`);
  await activate('wasm');
}

async function cpuStep(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
}

export const backendSteps: Record<BackendName, BackendStep> = {
  tensorflow: tensorflowStep,
  webgpu: webgpuStep,
  wasm: wasmStep,
  cpu: cpuStep,
};
