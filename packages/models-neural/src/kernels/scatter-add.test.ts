import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetResolvedBackend, resolveBackend } from '../backend/resolve-backend';
import { scatterAddRows } from './scatter-add';
import { scatterAddUnsortedSegmentSum } from './unsorted-segment-sum';

describe('scatterAddRows', () => {
  it('adds each row into its segment and drops out-of-range ids', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = scatterAddRows(x, Int32Array.from([2, 0, 2, 5]), 2, 3, new Float32Array(6).fill(9));
    expect(Array.from(out)).toEqual([3, 4, 0, 0, 1 + 5, 2 + 6]);
  });
});

// gather rows [0, 2, 0] of a 3×2 table, loss = Σ w ⊙ gathered with w = [[1,2],[3,4],[5,6]]:
// d/dtable row 0 = w0 + w2 = [6, 8], row 1 = [0, 0] (never gathered), row 2 = w1 = [3, 4]
describe.each(['cpu', 'wasm'] as const)('UnsortedSegmentSum scatter-add on %s', (backend) => {
  afterAll(() => forgetResolvedBackend());

  it('gives the hand-computed gradient of a gather', async () => {
    forgetResolvedBackend();
    const info = await resolveBackend({ order: [backend], env: {}, log: () => {} });
    expect(info.name).toBe(backend);
    // ours, not the cpu backend's O(segments · rows) one
    expect(tf.getKernel(tf.UnsortedSegmentSum, backend)?.kernelFunc).toBe(scatterAddUnsortedSegmentSum);
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() => {
      const table = tf.tensor2d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2]);
      const w = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      const indices = tf.tensor1d([0, 2, 0], 'int32');
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), w)))(table);
    });
    expect(grad.shape).toEqual([3, 2]);
    expect(Array.from(grad.dataSync())).toEqual([6, 8, 0, 0, 3, 4]);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sums rows of a rank-3 input by a 2-D id tensor', async () => {
    forgetResolvedBackend();
    await resolveBackend({ order: [backend], env: {}, log: () => {} });
    const out = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), tf.tensor1d([1, 1], 'int32'), 3),
    );
    expect(out.shape).toEqual([3, 2, 2]);
    expect(Array.from(out.dataSync())).toEqual([0, 0, 0, 0, 6, 8, 10, 12, 0, 0, 0, 0]);
    out.dispose();
  });
});
