import { containsSorted, topK, type Interactions } from '@musicrec/core';
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
  /** Whether the best-scoring candidate was set aside for the first one by the one-standard-error rule. */
  keptFirst: boolean;
}

/**
 * Grid search of one bucket's weights: for every candidate weight vector, the mean NDCG@k of
 * the blended ranking over the bucket's validation users (training items excluded, binary
 * relevance, ideal DCG over min(|validation|, k)), the same number ctx.validate gives for
 * the whole population. Member rows are computed once per batch and reused by every candidate.
 * Ties go to the earlier candidate.
 *
 * One-standard-error rule: the top of a grid of noisy means is biased upwards (on
 * spotify-playlists validation NDCGs of ~.015 moved the pick away from CF alone, which then
 * lost on test), so the first candidate (the simplest: all weight on the first member) is kept
 * unless the best one beats it by more than one standard error of the paired per-user difference.
 */
export function tuneBucket(input: BucketTuningInput): BucketTuningResult {
  const { nItems, train, validation, users, candidates, k } = input;
  const sums = new Float64Array(candidates.length);
  // per-user NDCG of every candidate, for the paired difference against the first
  const perUser = new Float64Array(users.length * candidates.length);
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
        const v = ndcgOfList(list, relevant, k);
        sums[c] += v;
        perUser[(start + b) * candidates.length + c] = v;
      }
    }
  }
  const ndcgs = Array.from(sums, (s) => (users.length > 0 ? s / users.length : 0));
  let best = 0;
  for (let c = 1; c < candidates.length; c++) if (ndcgs[c] > ndcgs[best]) best = c;
  const keptFirst = best !== 0 && !beatsByOneStandardError(perUser, candidates.length, users.length, best);
  if (keptFirst) best = 0;
  return { best: [...candidates[best]], bestNdcg: ndcgs[best], ndcgs, keptFirst };
}

/** Whether candidate c's mean per-user gain over candidate 0 exceeds its standard error. */
function beatsByOneStandardError(perUser: Float64Array, nCandidates: number, nUsers: number, c: number): boolean {
  if (nUsers < 2) return true;
  let sum = 0;
  for (let u = 0; u < nUsers; u++) sum += perUser[u * nCandidates + c] - perUser[u * nCandidates];
  const mean = sum / nUsers;
  let sq = 0;
  for (let u = 0; u < nUsers; u++) {
    const d = perUser[u * nCandidates + c] - perUser[u * nCandidates] - mean;
    sq += d * d;
  }
  const standardError = Math.sqrt(sq / (nUsers - 1) / nUsers);
  return mean > standardError;
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
