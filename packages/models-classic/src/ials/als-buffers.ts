import type { IalsSolver } from './config';
import type { HalfStep } from './half-step';
import { KernelLayout, kernelMemory, type WasmMemory, type WasmModule } from './simd-kernels';

export type AlsSide = 'users' | 'items';

/** The CSR matrices (users × items and its transpose) with confidences, and the starting factors. */
export interface AlsInputs {
  readonly factors: number;
  readonly regularization: number;
  readonly solver: IalsSolver;
  readonly cgSteps: number;
  readonly userIndptr: Int32Array;
  readonly userIndices: Int32Array;
  readonly userConfidence: Float32Array;
  readonly itemIndptr: Int32Array;
  readonly itemIndices: Int32Array;
  readonly itemConfidence: Float32Array;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
}

/**
 * Everything the half-steps read and write. `js` buffers are plain typed arrays (on
 * SharedArrayBuffers when workers share them) solved by the Float64 JS kernels; `simd`
 * buffers are views into one shared WebAssembly memory, solved by the f32x4 kernels,
 * with the byte offset of each array in `ptr`.
 */
export type AlsBuffers = JsAlsBuffers | SimdAlsBuffers;

interface AlsArrays extends AlsInputs {
  /** Thread slots for partial YᵀY (and, for simd, CG scratch). */
  readonly threads: number;
}

export interface JsAlsBuffers extends AlsArrays {
  readonly kernel: 'js';
  /** YᵀY + λI of the side held fixed in the current half-step, f × f. */
  readonly gram: Float64Array;
  /** One f × f slot per thread for its part of YᵀY. */
  readonly partialGrams: Float64Array;
}

export interface SimdAlsBuffers extends AlsArrays {
  readonly kernel: 'simd';
  readonly gram: Float32Array;
  readonly partialGrams: Float32Array;
  readonly memory: WasmMemory;
  readonly module: WasmModule;
  readonly ptr: Readonly<Record<SimdArrayName, number>>;
}

type SimdArrayName =
  | 'userIndptr'
  | 'userIndices'
  | 'userConfidence'
  | 'itemIndptr'
  | 'itemIndices'
  | 'itemConfidence'
  | 'userFactors'
  | 'itemFactors'
  | 'gram'
  | 'partialGrams'
  | 'scratch';

/**
 * The SIMD kernels need f to be a multiple of 4 and implement CG only; everything else runs
 * the JS kernels.
 */
export function simdApplies(factors: number, solver: IalsSolver): boolean {
  return solver === 'cg' && factors % 4 === 0;
}

/**
 * Copies the inputs into buffers: the SIMD kind when `simdModule` is given (always shared
 * memory), else JS arrays, on SharedArrayBuffers when `shared`.
 */
export function allocateAlsBuffers(
  inputs: AlsInputs,
  threads: number,
  simdModule: WasmModule | null,
  shared: boolean,
): AlsBuffers {
  const f = inputs.factors;
  if (!simdModule) {
    return {
      ...inputs,
      kernel: 'js',
      threads,
      userIndptr: sharedCopy(inputs.userIndptr, shared),
      userIndices: sharedCopy(inputs.userIndices, shared),
      userConfidence: sharedCopy(inputs.userConfidence, shared),
      itemIndptr: sharedCopy(inputs.itemIndptr, shared),
      itemIndices: sharedCopy(inputs.itemIndices, shared),
      itemConfidence: sharedCopy(inputs.itemConfidence, shared),
      userFactors: sharedCopy(inputs.userFactors, shared),
      itemFactors: sharedCopy(inputs.itemFactors, shared),
      gram: sharedCopy(new Float64Array(f * f), shared),
      partialGrams: sharedCopy(new Float64Array(threads * f * f), shared),
    };
  }
  const layout = new KernelLayout();
  const ptr: Record<SimdArrayName, number> = {
    userIndptr: layout.reserve(inputs.userIndptr.length),
    userIndices: layout.reserve(inputs.userIndices.length),
    userConfidence: layout.reserve(inputs.userConfidence.length),
    itemIndptr: layout.reserve(inputs.itemIndptr.length),
    itemIndices: layout.reserve(inputs.itemIndices.length),
    itemConfidence: layout.reserve(inputs.itemConfidence.length),
    userFactors: layout.reserve(inputs.userFactors.length),
    itemFactors: layout.reserve(inputs.itemFactors.length),
    gram: layout.reserve(f * f),
    partialGrams: layout.reserve(threads * f * f),
    scratch: layout.reserve(threads * 3 * f),
  };
  const memory = kernelMemory(layout.bytes);
  const i32 = (name: SimdArrayName, src: Int32Array) => {
    const view = new Int32Array(memory.buffer, ptr[name], src.length);
    view.set(src);
    return view;
  };
  const f32 = (name: SimdArrayName, src: Float32Array | number) => {
    const n = typeof src === 'number' ? src : src.length;
    const view = new Float32Array(memory.buffer, ptr[name], n);
    if (typeof src !== 'number') view.set(src);
    return view;
  };
  return {
    ...inputs,
    kernel: 'simd',
    threads,
    userIndptr: i32('userIndptr', inputs.userIndptr),
    userIndices: i32('userIndices', inputs.userIndices),
    userConfidence: f32('userConfidence', inputs.userConfidence),
    itemIndptr: i32('itemIndptr', inputs.itemIndptr),
    itemIndices: i32('itemIndices', inputs.itemIndices),
    itemConfidence: f32('itemConfidence', inputs.itemConfidence),
    userFactors: f32('userFactors', inputs.userFactors),
    itemFactors: f32('itemFactors', inputs.itemFactors),
    gram: f32('gram', f * f),
    partialGrams: f32('partialGrams', threads * f * f),
    memory,
    module: simdModule,
    ptr,
  };
}

/** The problem a JS half-step on `side` solves, as views on the buffers. */
export function halfStepOf(b: JsAlsBuffers, side: AlsSide): HalfStep {
  return side === 'users'
    ? {
        indptr: b.userIndptr,
        indices: b.userIndices,
        confidence: b.userConfidence,
        solved: b.userFactors,
        fixed: b.itemFactors,
        gram: b.gram,
        factors: b.factors,
      }
    : {
        indptr: b.itemIndptr,
        indices: b.itemIndices,
        confidence: b.itemConfidence,
        solved: b.itemFactors,
        fixed: b.userFactors,
        gram: b.gram,
        factors: b.factors,
      };
}

/** A copy of `a` on a SharedArrayBuffer (or on a plain one when `shared` is false). */
export function sharedCopy<T extends Int32Array | Float32Array | Float64Array>(a: T, shared: boolean): T {
  const Ctor = a.constructor as new (buffer: ArrayBufferLike) => T;
  const bytes = a.length * a.BYTES_PER_ELEMENT;
  const out = new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  out.set(a as never);
  return out;
}
