export { resolveBackend, forgetResolvedBackend, backendOrder, backendLogLine, currentBackendName, BACKEND_ENV } from './resolve-backend';
export type { ResolveBackendOptions } from './resolve-backend';
export { backendNames, defaultBackendOrder, isBackendName } from './backend-name';
export type { BackendName, BackendInfo, BackendAttempt } from './backend-name';
export { wasmBinaryDir, WEBGPU_PROBE_TIMEOUT_MS } from './backend-steps';
export type { BackendStep } from './backend-steps';
export { useBackend, backendChoices } from './use-backend';
export type { BackendChoice } from './use-backend';
