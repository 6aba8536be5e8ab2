import { KernelLayout, instantiateKernels, kernelMemory, type SimdKernels, type WasmMemory, type WasmModule } from './simd-kernels';

/** Users scored per kernel call: bounds the output region at 64 × nItems floats. */
const USER_CHUNK = 64;

/**
 * U·Vᵀ with the SIMD kernel. Holds its own copy of the factors in a WebAssembly memory, the
 * item factors rearranged into panels of 8 items (f × 8 floats each, contiguous) so that
 * the kernel reads one panel per 4 users × 8 items tile. Build once per set of factors.
 */
export class FactorScorer {
  private readonly kernels: SimdKernels;
  private readonly memory: WasmMemory;
  private readonly nPad: number;
  private readonly ptrU: number;
  private readonly ptrPanels: number;
  private readonly ptrUsers: number;
  private readonly ptrOut: number;

  constructor(
    module: WasmModule,
    userFactors: Float32Array,
    itemFactors: Float32Array,
    readonly nItems: number,
    readonly factors: number,
  ) {
    const f = factors;
    this.nPad = Math.ceil(nItems / 8) * 8;
    const layout = new KernelLayout();
    this.ptrU = layout.reserve(userFactors.length);
    this.ptrPanels = layout.reserve(this.nPad * f);
    this.ptrUsers = layout.reserve(USER_CHUNK);
    this.ptrOut = layout.reserve(USER_CHUNK * this.nPad);
    this.memory = kernelMemory(layout.bytes);
    this.kernels = instantiateKernels(module, this.memory);
    new Float32Array(this.memory.buffer, this.ptrU, userFactors.length).set(userFactors);
    const panels = new Float32Array(this.memory.buffer, this.ptrPanels, this.nPad * f);
    for (let i = 0; i < nItems; i++) {
      const base = (i >> 3) * f * 8 + (i & 7);
      for (let k = 0; k < f; k++) panels[base + k * 8] = itemFactors[i * f + k];
    }
  }

  /** out[b·nItems + i] = U[users[b]] · V[i]. */
  score(users: Int32Array, out: Float32Array): void {
    const { nItems, nPad } = this;
    const usersView = new Int32Array(this.memory.buffer, this.ptrUsers, USER_CHUNK);
    const outView = new Float32Array(this.memory.buffer, this.ptrOut, USER_CHUNK * nPad);
    for (let start = 0; start < users.length; start += USER_CHUNK) {
      const nb = Math.min(USER_CHUNK, users.length - start);
      usersView.set(users.subarray(start, start + nb));
      this.kernels.score_panels(this.ptrU, this.ptrUsers, nb, this.ptrPanels, nPad, this.factors, this.ptrOut);
      for (let b = 0; b < nb; b++) out.set(outView.subarray(b * nPad, b * nPad + nItems), (start + b) * nItems);
    }
  }
}
