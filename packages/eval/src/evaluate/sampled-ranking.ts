import { ConfigError, Rng } from '@musicrec/core';
import type { Interactions, Recommender } from '@musicrec/core';
import { DEFAULT_KS } from '../metrics/ranking';
import type { RankingMetrics, RankingResult } from '../metrics/ranking';
import { usersWithItems } from './users';

export interface SampledEvaluationOptions {
  /** Negatives per user (default 100: the "sampled-100" protocol of the papers it exists to compare with). */
  negatives?: number;
  seed: number;
  ks?: readonly number[];
  batchSize?: number;
  /** Default: every user with a test item. */
  users?: Int32Array;
}

/**
 * The sampled protocol, kept only to compare with papers that used it (its numbers are far
 * higher than full ranking and must always be labelled "sampled-N"): each test item is
 * ranked among `negatives` items the user has in neither train nor test, drawn once per
 * user with the seed. Rank = 1 + negatives scoring higher (ties: lower item index first,
 * as in core topK). With one relevant item and hit = [rank ≤ K]: HR = recall = hit,
 * NDCG = hit / log2(rank + 1), precision = hit / K, MAP = MRR = hit / rank, F1 from P and R. Averaged over a user's test
 * items, then over users.
 */
export function evaluateSampledRanking(
  model: Pick<Recommender, 'scoreUsers'>,
  split: { fullTrain: Interactions; test: Interactions },
  opts: SampledEvaluationOptions,
): RankingResult {
  const { fullTrain, test } = split;
  const nItems = fullTrain.nItems;
  const nNeg = opts.negatives ?? 100;
  const ks = opts.ks ?? DEFAULT_KS;
  if (!Number.isInteger(nNeg) || nNeg < 1) throw new ConfigError(`sampled evaluation: negatives must be a positive integer, got ${nNeg}`);
  for (const K of ks) if (!Number.isInteger(K) || K < 1) throw new ConfigError(`sampled evaluation: cut-off ${K} must be a positive integer`);
  if (test.nItems !== nItems || test.nUsers !== fullTrain.nUsers) throw new ConfigError('sampled evaluation: train and test differ in shape');

  const users = (opts.users ?? usersWithItems(test)).filter((u) => test.rowLength(u) > 0);
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const rng = new Rng(opts.seed).fork('sampled-negatives');
  const negatives = new Int32Array(nNeg);
  const stamp = new Int32Array(nItems);
  const buf = new Float32Array(Math.min(batchSize, Math.max(users.length, 1)) * nItems);
  const nKs = ks.length;
  const sums = new Float64Array(nKs * 7);
  const userSums = new Float64Array(nKs * 7);

  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    const scores = model.scoreUsers(batch, buf.subarray(0, batch.length * nItems));
    for (let b = 0; b < batch.length; b++) {
      const u = batch[b];
      const nDrawn = sampleNegatives(rng, u, fullTrain, test, negatives, stamp, start + b + 1);
      const base = b * nItems;
      userSums.fill(0);
      const tStart = test.indptr[u];
      const tEnd = test.indptr[u + 1];
      for (let t = tStart; t < tEnd; t++) {
        const target = test.indices[t];
        const st = Math.fround(scores[base + target]);
        let rank = 1;
        for (let j = 0; j < nDrawn; j++) {
          const n = negatives[j];
          const sn = Math.fround(scores[base + n]);
          // a NaN target is ranked last; a NaN negative never outranks anything
          if (st !== st || sn > st || (sn === st && n < target)) rank++;
        }
        for (let q = 0; q < nKs; q++) {
          const K = ks[q];
          if (rank > K) continue;
          const s = q * 7;
          const p = 1 / K;
          userSums[s] += 1; // hit rate
          userSums[s + 1] += 1 / Math.log2(rank + 1); // ndcg
          userSums[s + 2] += p; // precision
          userSums[s + 3] += 1; // recall
          userSums[s + 4] += 1 / rank; // map
          userSums[s + 5] += 1 / rank; // mrr
          userSums[s + 6] += (2 * p) / (p + 1); // f1
        }
      }
      for (let j = 0; j < sums.length; j++) sums[j] += userSums[j] / (tEnd - tStart);
    }
  }

  const perK: Record<string, RankingMetrics> = {};
  const n = users.length;
  ks.forEach((K, q) => {
    const m = (j: number): number => (n === 0 ? 0 : sums[q * 7 + j] / n);
    perK[String(K)] = { hitRate: m(0), ndcg: m(1), precision: m(2), recall: m(3), map: m(4), mrr: m(5), f1: m(6) };
  });
  return { perK, nUsersEvaluated: n };
}

/**
 * Draws up to `out.length` distinct items user u has in neither `train` nor `test` into `out`;
 * returns how many (all candidates when there are fewer). `stamp`/`mark` dedupe without allocating.
 */
export function sampleNegatives(
  rng: Rng,
  u: number,
  train: Interactions,
  test: Interactions,
  out: Int32Array,
  stamp: Int32Array,
  mark: number,
): number {
  const nItems = train.nItems;
  const pool = nItems - train.rowLength(u) - test.rowLength(u); // train and test rows are disjoint
  if (pool <= out.length) {
    let p = 0;
    for (let i = 0; i < nItems && p < out.length; i++) if (!train.has(u, i) && !test.has(u, i)) out[p++] = i;
    return p;
  }
  let p = 0;
  while (p < out.length) {
    const i = rng.int(nItems);
    if (stamp[i] === mark || train.has(u, i) || test.has(u, i)) continue;
    stamp[i] = mark;
    out[p++] = i;
  }
  return p;
}
