import { ConfigError, DataError } from '@musicrec/core';
import type { Interactions, TopKResult } from '@musicrec/core';

/** The cut-offs every report carries. */
export const DEFAULT_KS: readonly number[] = [5, 10, 20];

/**
 * Ranking quality at one cut-off K, each averaged over the users that have at least one
 * test item (binary relevance: an item is relevant iff it is in the user's test row).
 *
 * - hitRate   = 1 if any of the top-K is relevant, else 0
 * - precision = hits / K (K even when fewer than K items were recommended)
 * - recall    = hits / |test|
 * - ndcg      = DCG / IDCG, DCG = Σ_{r=1..K} rel_r / log2(r + 1), IDCG = Σ_{r=1..min(|test|,K)} 1 / log2(r + 1)
 * - map       = (Σ_{r ≤ K, rel_r = 1} precision@r) / min(|test|, K)
 * - mrr       = 1 / rank of the first relevant item in the top-K, else 0
 * - f1        = per user 2·P·R / (P + R) (0 when P = R = 0), then averaged
 */
export interface RankingMetrics {
  hitRate: number;
  ndcg: number;
  precision: number;
  recall: number;
  map: number;
  mrr: number;
  f1: number;
}

export interface RankingResult {
  /** Keyed by String(K). */
  perK: Record<string, RankingMetrics>;
  /** Users with at least one test item; the others are not counted. */
  nUsersEvaluated: number;
  /** NDCG@10 of each evaluated user (for paired significance tests); present when recs.k ≥ 10. */
  perUser?: { users: Int32Array; ndcg10: Float32Array };
}

// accumulator slots per K
const HR = 0;
const NDCG = 1;
const PREC = 2;
const REC = 3;
const MAP = 4;
const MRR = 5;
const F1 = 6;
const N_METRICS = 7;

/**
 * Scores top-k lists against held-out items. Row r of `recs` belongs to `users[r]`; -1 slots
 * (fewer candidates than k) count as misses; a list must not repeat an item (core topK never
 * does). Items are looked up in `test` by binary search
 * over the user's sorted test row, so the loop allocates nothing per user.
 * With no evaluable user every metric is 0 and `nUsersEvaluated` is 0.
 */
export function evaluateRankings(
  recs: TopKResult,
  users: Int32Array,
  test: Interactions,
  ks: readonly number[] = DEFAULT_KS,
): RankingResult {
  const k = recs.k;
  checkShapes(recs, users, test);
  if (ks.length === 0) throw new ConfigError('evaluateRankings: ks is empty');
  for (const K of ks) {
    if (!Number.isInteger(K) || K < 1) throw new ConfigError(`evaluateRankings: cut-off ${K} must be a positive integer`);
    if (K > k) throw new ConfigError(`evaluateRankings: cut-off ${K} exceeds the ${k} recommendations per user`);
  }
  const nKs = ks.length;
  const maxK = Math.max(...ks);
  const withPerUser = k >= 10;
  const scan = withPerUser ? Math.max(maxK, 10) : maxK;

  const discount = new Float64Array(scan + 1); // discount[r] = 1/log2(r+1), 1-based
  const idcg = new Float64Array(scan + 1); // idcg[n] = Σ_{r=1..n} discount[r]
  for (let r = 1; r <= scan; r++) {
    discount[r] = 1 / Math.log2(r + 1);
    idcg[r] = idcg[r - 1] + discount[r];
  }
  const isCutoff = new Uint8Array(scan + 1);
  for (const K of ks) isCutoff[K] = 1;

  const sums = new Float64Array(nKs * N_METRICS);
  const perUserUsers = withPerUser ? new Int32Array(users.length) : null;
  const perUserNdcg = withPerUser ? new Float32Array(users.length) : null;
  let nEval = 0;

  const tIndptr = test.indptr;
  const tIdx = test.indices;
  const items = recs.items;
  for (let row = 0; row < users.length; row++) {
    const u = users[row];
    const lo = tIndptr[u];
    const hi = tIndptr[u + 1];
    const nTest = hi - lo;
    if (nTest === 0) continue;
    let hits = 0;
    let dcg = 0;
    let precSum = 0;
    let firstHit = 0;
    const base = row * k;
    for (let r = 1; r <= scan; r++) {
      const item = items[base + r - 1];
      if (item >= 0 && sortedContains(tIdx, lo, hi, item)) {
        hits++;
        dcg += discount[r];
        precSum += hits / r;
        if (firstHit === 0) firstHit = r;
      }
      if (r === 10 && perUserNdcg) perUserNdcg[nEval] = dcg / idcg[Math.min(nTest, 10)];
      if (isCutoff[r] === 0) continue;
      const ideal = Math.min(nTest, r);
      const p = hits / r;
      const rc = hits / nTest;
      for (let q = 0; q < nKs; q++) {
        if (ks[q] !== r) continue;
        const s = q * N_METRICS;
        sums[s + HR] += hits > 0 ? 1 : 0;
        sums[s + NDCG] += dcg / idcg[ideal];
        sums[s + PREC] += p;
        sums[s + REC] += rc;
        sums[s + MAP] += precSum / ideal;
        sums[s + MRR] += firstHit > 0 ? 1 / firstHit : 0;
        sums[s + F1] += p + rc > 0 ? (2 * p * rc) / (p + rc) : 0;
      }
    }
    if (perUserUsers) perUserUsers[nEval] = u;
    nEval++;
  }

  const perK: Record<string, RankingMetrics> = {};
  for (let q = 0; q < nKs; q++) {
    const s = q * N_METRICS;
    const mean = (m: number): number => (nEval === 0 ? 0 : sums[s + m] / nEval);
    perK[String(ks[q])] = {
      hitRate: mean(HR),
      ndcg: mean(NDCG),
      precision: mean(PREC),
      recall: mean(REC),
      map: mean(MAP),
      mrr: mean(MRR),
      f1: mean(F1),
    };
  }
  const result: RankingResult = { perK, nUsersEvaluated: nEval };
  if (perUserUsers && perUserNdcg) {
    result.perUser = { users: perUserUsers.slice(0, nEval), ndcg10: perUserNdcg.slice(0, nEval) };
  }
  return result;
}

function checkShapes(recs: TopKResult, users: Int32Array, test: Interactions): void {
  const k = recs.k;
  if (recs.items.length !== users.length * k) {
    throw new ConfigError(
      `recommendations hold ${recs.items.length} items, expected users.length × k = ${users.length} × ${k}`,
    );
  }
  for (let row = 0; row < users.length; row++) {
    const u = users[row];
    if (!(u >= 0 && u < test.nUsers)) {
      throw new DataError(`user index ${u} at row ${row} is outside the test matrix's ${test.nUsers} users`, { field: 'users' });
    }
  }
  const items = recs.items;
  for (let j = 0; j < items.length; j++) {
    const i = items[j];
    if (i < -1 || i >= test.nItems) {
      throw new DataError(
        `item index ${i} at row ${Math.floor(j / k)}, rank ${(j % k) + 1} is outside [0, ${test.nItems}) and is not the -1 filler`,
        { field: 'recs.items' },
      );
    }
  }
}

/** Binary search in the sorted slice a[lo, hi). */
export function sortedContains(a: Int32Array, lo: number, hi: number, x: number): boolean {
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid];
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
