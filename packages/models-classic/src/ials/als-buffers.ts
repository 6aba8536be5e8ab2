import type { IalsSolver } from './config';
import type { HalfStep } from './half-step';

export type AlsSide = 'users' | 'items';

/**
 * Everything the half-steps read and write, as typed arrays that may sit on
 * SharedArrayBuffers so that worker threads see the same memory. The user side solves the
 * rows of the users × items confidence matrix against the item factors; the item side
 * solves its transpose against the user factors.
 */
export interface AlsBuffers {
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
  /** YᵀY + λI of the side held fixed in the current half-step. */
  readonly gram: Float64Array;
  /** One f × f slot per thread for its part of YᵀY. */
  readonly partialGrams: Float64Array;
}

/** The problem a half-step on `side` solves, as views on the buffers. */
export function halfStepOf(b: AlsBuffers, side: AlsSide): HalfStep {
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
