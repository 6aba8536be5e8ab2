import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { gatherRows } from './gather-rows';

describe('gatherRows', () => {
  it('copies the indexed rows in order, repeats included', () => {
    const x = Float32Array.of(0, 1, 10, 11, 20, 21);
    expect(Array.from(gatherRows(x, Int32Array.of(2, 0, 2), 2, 3, new Float32Array(6)))).toEqual([20, 21, 0, 1, 20, 21]);
  });

  it('rejects an index outside the table, saying which', () => {
    expect(() => gatherRows(Float32Array.of(1, 2), Int32Array.of(0, 2), 1, 2, new Float32Array(2))).toThrow(/index 2 at position 1 is outside \[0, 1\]/);
  });
});

describe('the registered GatherV2 on the resolved backend', () => {
  it('gives tf.gather the hand-computed rows on axis 0 and still serves other axes, int32 tables and gradients', async () => {
    await useBackend('auto');
    const table = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(await tf.gather(table, tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32')).array()).toEqual([[[7, 8, 9], [1, 2, 3]], [[4, 5, 6], [4, 5, 6]]]);
    expect(await tf.gather(table, tf.tensor1d([2, 0], 'int32'), 1).array()).toEqual([[3, 1], [6, 4], [9, 7]]);
    expect(await tf.gather(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), tf.tensor1d([1], 'int32')).array()).toEqual([[3, 4]]);
    // d/dtable Σ gather(table, [2, 2, 0]) counts how often each row was taken
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([2, 2, 0], 'int32'))))(table);
    expect(await grad.array()).toEqual([[1, 1, 1], [0, 0, 0], [2, 2, 2]]);
  });
});
