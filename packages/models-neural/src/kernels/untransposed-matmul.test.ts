import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../backend';

describe('BatchMatMul with transposed operands on the resolved backend', () => {
  it('gives the hand-computed products for every transpose flag, batched too, and frees its temporaries', async () => {
    await useBackend('auto');
    const a = tf.tensor2d([[1, 2], [3, 4], [5, 6]]); // 3 × 2
    const b = tf.tensor2d([[1, 0, 2], [0, 1, 3]]); // 2 × 3
    const before = tf.engine().backend.numDataIds();
    const batched = tf.tidy(() => tf.stack([a, tf.mul(a, 2)]) as tf.Tensor3D); // 2 × 3 × 2
    const products = [
      tf.matMul(a, b),
      tf.matMul(a, b, true, true), // aᵀ (2 × 3) · bᵀ (3 × 2)
      tf.matMul(a, a, true, false), // aᵀ · a
      tf.matMul(a, a, false, true), // a · aᵀ
      tf.matMul(batched, batched, true, false),
    ];
    expect(await Promise.all(products.map((p) => p.array()))).toEqual([
      [[1, 2, 8], [3, 4, 18], [5, 6, 28]],
      [[11, 18], [14, 22]],
      [[35, 44], [44, 56]],
      [[5, 11, 17], [11, 25, 39], [17, 39, 61]],
      [[[35, 44], [44, 56]], [[140, 176], [176, 224]]],
    ]);
    // above MIN_REUSE (16) the operand is transposed first: the same numbers
    const wideA = tf.tidy(() => tf.reshape(tf.range(0, 2 * 20), [2, 20]) as tf.Tensor2D); // 2 × 20
    const ones = tf.ones([2, 20]) as tf.Tensor2D;
    const wide = [tf.matMul(wideA, ones, true, false), tf.matMul(ones, wideA, true, false), tf.tidy(() => tf.matMul(tf.transpose(ones), tf.transpose(wideA), false, true))];
    const [w1, w2, w3] = (await Promise.all(wide.map((p) => p.array()))) as number[][][];
    // (aᵀ·1)[i][j] = a[0][i] + a[1][i] = i + (20 + i)
    expect(w1[3][7]).toBe(3 + 23);
    expect(w2[7][3]).toBe(3 + 23);
    expect(w3).toEqual(w2);
    tf.dispose([...products, batched, wideA, ones, ...wide]);
    // the transposed copies were freed inside the kernel: only the inputs remain
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('gives matMul gradients (which transpose an operand) their hand-computed values', async () => {
    await useBackend('auto');
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5, 6], [7, 8]]);
    // d/da Σ(a·b) = 1 · bᵀ: row sums of b; d/db Σ(a·b) = aᵀ · 1: column sums of a
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b]);
    expect(await da.array()).toEqual([[11, 15], [11, 15]]);
    expect(await db.array()).toEqual([[4, 4], [6, 6]]);
  });
});
