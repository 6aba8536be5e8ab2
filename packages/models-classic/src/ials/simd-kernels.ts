/**
 * The few WebAssembly JS-API types used here, declared locally: the DOM lib that declares
 * them is not part of this workspace's Node-only compiler settings.
 */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
/** A compiled module (opaque; structured-cloneable to worker threads). */
export type WasmModule = { readonly __wasmModule?: never };
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The exported SIMD kernels; every pointer is a byte offset into the memory they were instantiated with. */
export interface SimdKernels {
  dot(a: number, b: number, f: number): number;
  axpy(alpha: number, x: number, y: number, f: number): void;
  gemv(m: number, v: number, out: number, f: number): void;
  gram_upper(y: number, start: number, end: number, g: number, f: number): void;
  cg_rows(
    start: number,
    end: number,
    indptr: number,
    indices: number,
    conf: number,
    x: number,
    y: number,
    g: number,
    f: number,
    steps: number,
    scratch: number,
  ): void;
  score_panels(u: number, users: number, nb: number, panels: number, nPad: number, f: number, out: number): void;
  /** See `simd-kernels-topk.wat.ts`; returns the number of panels visited. */
  topk_panels(
    u: number,
    users: number,
    nb: number,
    panels: number,
    nPanels: number,
    panelNorm: number,
    itemOf: number,
    f: number,
    k: number,
    bound: number,
    thr: number,
    size: number,
    exStart: number,
    exLen: number,
    hs: number,
    hi: number,
    scratch: number,
  ): number;
}

/** Most 64 KiB pages a kernel memory may have (4 GiB, the wasm32 limit). */
export const MAX_PAGES = 65536;

/** A memory the kernels can use: shared, so that worker threads can run on it too. */
export function kernelMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > MAX_PAGES) throw new RangeError(`ials: ${bytes} bytes exceed the 4 GiB of a wasm32 memory`);
  return new wasmApi.Memory({ initial: pages, maximum: pages, shared: true });
}

export function instantiateKernels(module: WasmModule, memory: WasmMemory): SimdKernels {
  return new wasmApi.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
}

/** Bump allocator over a byte count: 16-byte aligned regions, laid out before the memory is made. */
export class KernelLayout {
  bytes = 0;
  /** Reserves `count` elements of `bytesPer` bytes and returns the region's byte offset. */
  reserve(count: number, bytesPer = 4): number {
    const at = this.bytes;
    this.bytes = at + Math.ceil((count * bytesPer) / 16) * 16;
    return at;
  }
}
