import { topK, type Interactions } from '@musicrec/core';
import { blendInto } from './blend';

export interface BucketTuningInput {
  /** The z-scored rows of every member for a batch of users (users.length × nItems each; null = member skipped). */
  memberRows: (users: Int32Array) => readonly (Float32Array | null)[];
  nItems: number;
  /** Excluded from the ranking (the training items), as in the harness's validation score. */
  train: Interactions;
  validation: Interactions;
  /** The bucket's validation users (each with ≥ 1 validation item). */
  users: Int32Array;
  /** Weight vectors to compare. */
  candidates: readonly (readonly number[])[];
  k: number;
  batchSize: number;
}

export interface BucketTuningResult {
  best: number[];
  bestNdcg: number;
  /** Mean validation NDCG@k of every candidate, in candidate order. */
  ndcgs: number[];
}

/**
 * Grid search of one bucket's weights: for every candidate weight vector, the mean NDCG@k of
 * the blended ranking over the bucket's validation users (training items excluded, binary
 * relevance, ideal DCG over min(|validation|, k)), the same number ctx.validate gives for
 * the whole population. Member rows are computed once per batch and reused by every candidate.
 * Ties go to the earlier candidate.
 */
export function tuneBucket(input: BucketTuningInput): BucketTuningResult {
  const { nItems, train, validation, users, candidates, k } = input;
  const sums = new Float64Array(candidates.length);
  const row = new Float32Array(nItems);
  const acc = new Float64Array(nItems);
  const list = new Int32Array(k);
  for (let start = 0; start < users.length; start += input.batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + input.batchSize));
    const rows = input.memberRows(batch);
    for (let b = 0; b < batch.length; b++) {
      const u = batch[b];
      const relevant = validation.itemsOf(u);
      for (let c = 0; c < candidates.length; c++) {
        blendInto(rows, b * nItems, candidates[c], nItems, row, 0, acc);
        topK(row, k, list, undefined, train.itemsOf(u));
        sums[c] += ndcgOfList(list, relevant, k);
      }
    }
  }
  const ndcgs = Array.from(sums, (s) => (users.length > 0 ? s / users.length : 0));
  let best = 0;
  for (let c = 1; c < candidates.length; c++) if (ndcgs[c] > ndcgs[best]) best = c;
  return { best: [...candidates[best]], bestNdcg: ndcgs[best], ndcgs };
}

/** NDCG@k of one list against the sorted relevant items (binary relevance); -1 slots are empty. */
export function ndcgOfList(list: Int32Array, relevant: Int32Array, k: number): number {
  if (relevant.length === 0) return 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, list.length); r++) {
    if (list[r] >= 0 && containsSorted(relevant, list[r])) dcg += 1 / Math.log2(r + 2);
  }
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.length); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}

function containsSorted(a: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return true;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
