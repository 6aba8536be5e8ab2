import type { Rng } from '@musicrec/core';

/**
 * Indices 0..n-1 in a seeded random order, cut into batches of `batchSize` (the last one
 * shorter). The batches are views of one permutation array: copy one to keep it past the
 * next iteration step.
 */
export function* shuffledBatches(n: number, batchSize: number, rng: Rng): Generator<Int32Array> {
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  rng.shuffle(order);
  for (let start = 0; start < n; start += batchSize) yield order.subarray(start, Math.min(n, start + batchSize));
}
