/** TF.js backends musicrec knows how to bring up, fastest first. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

export const backendNames: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/** The resolution order of DESIGN.md: CUDA through tfjs-node-gpu, WebGPU through Dawn, then wasm, then cpu. */
export const defaultBackendOrder: readonly BackendName[] = backendNames;

/** One step of the resolution: whether that backend came up, and why not if it did not. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  error?: string;
}

/** The backend TF.js runs on (recorded in report rows) and every step tried to get there. */
export interface BackendInfo {
  name: BackendName;
  tried: BackendAttempt[];
}

export function isBackendName(value: string): value is BackendName {
  return (backendNames as readonly string[]).includes(value);
}
