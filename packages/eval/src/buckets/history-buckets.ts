import { ConfigError } from '@musicrec/core';
import type { Interactions, TopKResult } from '@musicrec/core';
import { sortedContains } from '../metrics/ranking';

/** Training-history lengths the bucket table splits users by (inclusive bounds). */
export const HISTORY_BUCKETS: readonly { label: string; min: number; max: number }[] = [
  { label: '1-2', min: 1, max: 2 },
  { label: '3-10', min: 3, max: 10 },
  { label: '11+', min: 11, max: Infinity },
];

/** Mean metrics of the users in one bucket (0 everywhere when it has no user). */
export interface HistoryBucket {
  users: number;
  ndcg10: number;
  hitRate10: number;
  recall20: number;
}

/** Keyed by bucket label ("1-2", "3-10", "11+"). */
export type HistoryBuckets = Record<string, HistoryBucket>;

/** Per-user NDCG@10, HR@10 and Recall@20 of `recs` (row r = users[r]); NaN for a user without test items. */
export interface PerUserMetrics {
  ndcg10: Float64Array;
  hitRate10: Float64Array;
  recall20: Float64Array;
}

/**
 * The same definitions as `evaluateRankings` (binary relevance, IDCG over min(|test|, 10),
 * recall = hits@20 / |test|), kept per user so they can be grouped. Needs lists of ≥ 20.
 */
export function perUserMetrics(recs: TopKResult, users: Int32Array, test: Interactions): PerUserMetrics {
  const k = recs.k;
  if (k < 20) throw new ConfigError(`perUserMetrics: lists of ${k} items, Recall@20 needs at least 20`);
  if (recs.items.length !== users.length * k) {
    throw new ConfigError(`recommendations hold ${recs.items.length} items, expected users.length × k = ${users.length} × ${k}`);
  }
  const idcg = new Float64Array(11);
  for (let r = 1; r <= 10; r++) idcg[r] = idcg[r - 1] + 1 / Math.log2(r + 1);
  const out: PerUserMetrics = {
    ndcg10: new Float64Array(users.length),
    hitRate10: new Float64Array(users.length),
    recall20: new Float64Array(users.length),
  };
  for (let row = 0; row < users.length; row++) {
    const lo = test.indptr[users[row]];
    const hi = test.indptr[users[row] + 1];
    const nTest = hi - lo;
    if (nTest === 0) {
      out.ndcg10[row] = out.hitRate10[row] = out.recall20[row] = NaN;
      continue;
    }
    let dcg = 0;
    let hits10 = 0;
    let hits20 = 0;
    for (let r = 1; r <= 20; r++) {
      const item = recs.items[row * k + r - 1];
      if (item < 0 || !sortedContains(test.indices, lo, hi, item)) continue;
      hits20++;
      if (r <= 10) {
        hits10++;
        dcg += 1 / Math.log2(r + 1);
      }
    }
    out.ndcg10[row] = dcg / idcg[Math.min(nTest, 10)];
    out.hitRate10[row] = hits10 > 0 ? 1 : 0;
    out.recall20[row] = hits20 / nTest;
  }
  return out;
}

/**
 * Groups per-user metrics by the user's training-history length (items in `train`, the
 * matrix the model was fitted on and whose items were excluded) and averages each group.
 * Users without test items are not counted; users with an empty history fall in no bucket.
 */
export function historyBuckets(perUser: PerUserMetrics, users: Int32Array, train: Interactions): HistoryBuckets {
  const n = HISTORY_BUCKETS.length;
  const sums = new Float64Array(n * 3);
  const counts = new Int32Array(n);
  for (let row = 0; row < users.length; row++) {
    if (Number.isNaN(perUser.ndcg10[row])) continue;
    const len = train.rowLength(users[row]);
    const b = HISTORY_BUCKETS.findIndex((x) => len >= x.min && len <= x.max);
    if (b < 0) continue;
    counts[b]++;
    sums[b * 3] += perUser.ndcg10[row];
    sums[b * 3 + 1] += perUser.hitRate10[row];
    sums[b * 3 + 2] += perUser.recall20[row];
  }
  const out: HistoryBuckets = {};
  HISTORY_BUCKETS.forEach(({ label }, b) => {
    const c = counts[b];
    out[label] = {
      users: c,
      ndcg10: c === 0 ? 0 : sums[b * 3] / c,
      hitRate10: c === 0 ? 0 : sums[b * 3 + 1] / c,
      recall20: c === 0 ? 0 : sums[b * 3 + 2] / c,
    };
  });
  return out;
}

/** Both steps: the bucket table of one evaluation (lists of ≥ 20 ranked with `train` excluded). */
export function historyBucketsOf(recs: TopKResult, users: Int32Array, train: Interactions, test: Interactions): HistoryBuckets {
  return historyBuckets(perUserMetrics(recs, users, test), users, train);
}
