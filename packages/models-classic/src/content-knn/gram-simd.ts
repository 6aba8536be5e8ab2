import wabtInit from 'wabt';

import { GRAM_SIMD_WAT } from './gram-simd.wat';

/** The few WebAssembly JS-API types used here (the DOM lib that declares them is not in this Node-only build). */
type WasmModule = { readonly __wasmModule?: never };
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface GramKernel {
  gram4(items: number, groups: number, dim: number, qs: number, out: number, rowBytes: number): void;
}

async function compile(): Promise<WasmModule> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('content-knn-gram.wat', GRAM_SIMD_WAT, { simd: true });
  try {
    return new wasmApi.Module(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** Compiled once per process on first import. */
const gramModule: WasmModule = await compile();

/**
 * Rows [from, to) of the Gram matrix of a dense n × dim matrix, computed by the f32x4
 * kernel four query rows at a time. Holds the items (dimension-interleaved in groups of
 * four) and one output block in a wasm memory sized once; `block(from, to)` returns a view
 * whose row r (stride `stride` ≥ n floats) holds the scores of row from + r.
 */
export class SimdGram {
  readonly stride: number;
  private readonly kernel: GramKernel;
  private readonly heap: Float32Array;
  private readonly queryAt: number;
  private readonly outAt: number;

  constructor(
    private readonly rows: Float32Array,
    private readonly dim: number,
    private readonly n: number,
    readonly blockRows: number,
  ) {
    const groups = Math.ceil(n / 4);
    this.stride = groups * 4;
    const itemFloats = groups * dim * 4;
    this.queryAt = itemFloats * 4;
    this.outAt = this.queryAt + 4 * dim * 16;
    const rowsPadded = Math.ceil(blockRows / 4) * 4;
    // a plain (not shared) memory: typed-array reads of a SharedArrayBuffer slow the top-k scan down
    const pages = Math.ceil((this.outAt + rowsPadded * this.stride * 4) / 65536);
    if (pages > 65536) throw new RangeError(`content-knn: ${n} items × ${dim} dims exceed a wasm32 memory`);
    const memory = new wasmApi.Memory({ initial: pages, maximum: pages });
    this.kernel = new wasmApi.Instance(gramModule, { env: { memory } }).exports as unknown as GramKernel;
    this.heap = new Float32Array(memory.buffer);
    for (let j = 0; j < n; j++) {
      const g = j >> 2;
      const lane = j & 3;
      for (let d = 0; d < dim; d++) this.heap[(g * dim + d) * 4 + lane] = rows[j * dim + d];
    }
  }

  block(from: number, to: number): Float32Array {
    return this.compute(to - from, (r) => from + r);
  }

  /** Like `block`, for the listed rows (at most `blockRows` of them): row r of the view holds the scores of rows[r]. */
  rowsBlock(rows: Int32Array): Float32Array {
    return this.compute(rows.length, (r) => rows[r]);
  }

  private compute(count: number, rowAt: (r: number) => number): Float32Array {
    const { dim, heap, stride } = this;
    const q0 = this.queryAt >> 2;
    for (let i = 0; i < count; i += 4) {
      for (let r = 0; r < 4; r++) {
        const row = i + r < count ? rowAt(i + r) : -1;
        for (let d = 0; d < dim; d++) heap.fill(row >= 0 ? this.rows[row * dim + d] : 0, q0 + (r * dim + d) * 4, q0 + (r * dim + d) * 4 + 4);
      }
      this.kernel.gram4(0, stride >> 2, dim, this.queryAt, this.outAt + i * stride * 4, stride * 4);
    }
    return heap.subarray(this.outAt >> 2, (this.outAt >> 2) + count * stride);
  }
}
