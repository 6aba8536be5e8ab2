import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface DisposingBackend {
  disposeData(dataId: object): boolean | void;
}

/**
 * Rows (for b) or columns (for a) of the product from which transposing the operand first is
 * cheaper: the wasm Transpose costs about 18 ns an element, the strided product about 2 ns a
 * multiply-add more than the plain one (one user against a 17,632 × 64 table: 2.6 ms strided,
 * 22 ms transposed first; a 1,024-row product: 120 ms strided, 12 ms transposed first).
 */
const MIN_REUSE = 16;

/** perm that swaps the last two axes of a rank-r tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, k) => k);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/**
 * BatchMatMul with transposeA / transposeB done as an explicit Transpose, then the plain
 * product, when the product is large enough to repay the copy (MIN_REUSE). tfjs-backend-wasm multiplies a transposed operand through a slow strided path:
 * on 2 cores a 1024 × 1024 by 1024 × 64 product took 390 ms with transposeA and 120 ms with
 * transposeB against 23 / 12 ms transposed first, and every matMul gradient transposes one
 * operand, so this is most of a training step.
 */
function transposeFirst(own: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    // a copy pays back only when the other side reuses it: output rows m for b, columns n for a
    const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const flipA = transposeA && n >= MIN_REUSE;
    const flipB = transposeB && m >= MIN_REUSE;
    if (!flipA && !flipB) return own(args);
    const flip = (x: TensorInfo): TensorInfo => transpose({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as TensorInfo;
    const left = flipA ? flip(a) : a;
    const right = flipB ? flip(b) : b;
    try {
      return own({ inputs: { a: left, b: right }, backend, attrs: { ...(attrs as object), transposeA: transposeA && !flipA, transposeB: transposeB && !flipB } });
    } finally {
      const owner = backend as unknown as DisposingBackend;
      if (left !== a) owner.disposeData(left.dataId);
      if (right !== b) owner.disposeData(right.dataId);
    }
  };
}

let installed = false;

/** Wraps wasm's BatchMatMul (once) so transposed operands are transposed first; after the wasm module is imported. */
export function registerUntransposedMatMul(): void {
  if (installed) return;
  const own = tf.getKernel(tf.BatchMatMul, 'wasm') as KernelConfig | undefined;
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (!own || !transpose) return;
  tf.unregisterKernel(tf.BatchMatMul, 'wasm');
  // the wasm setup (binding the C function) stays with the kernel
  tf.registerKernel({ ...own, kernelFunc: transposeFirst(own.kernelFunc as KernelFunc, transpose.kernelFunc as KernelFunc) });
  installed = true;
}
