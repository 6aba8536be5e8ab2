import { Bench } from 'tinybench';
import { ConfigError, topK } from '@musicrec/core';
import { quantile, type LatencyOptions, type LatencyResult } from './measure-latency';

/** Scores every item for `users` (row-major users.length × nItems), e.g. one ONNX session run. */
export type AsyncScorer = (users: Int32Array) => Promise<Float32Array>;

/** A model served asynchronously (e.g. through onnxruntime), as `measureLatencyAsync` times it. */
export interface AsyncServing {
  /**
   * One request: the best `k` items for `user`, best first, none of them in `exclude` (its
   * seen items, sorted ascending), k entries (−1 where fewer are left).
   */
  recommend(user: number, k: number, exclude: Int32Array | undefined): Promise<{ items: ArrayLike<number> }>;
  /** Scores of every item for a batch of users, row-major (the throughput pass ranks them with topK). */
  scoreBatch(users: Int32Array): Promise<Float32Array>;
}

/** The same options as `measureLatency` (users, nItems, exclude, k, iterations, time, batchSize). */
export type AsyncLatencyOptions = LatencyOptions;

/**
 * An `AsyncServing` from a full-score scorer: a request scores the user's whole row and
 * selects with `@musicrec/core` topK, as `measureLatency` does for a synchronous model.
 */
export function servingFromScorer(score: AsyncScorer, nItems: number, batchScore: AsyncScorer = score): AsyncServing {
  return {
    async recommend(user, k, exclude) {
      const s = await score(Int32Array.of(user));
      if (s.length !== nItems) throw new ConfigError(`measureLatencyAsync: scorer returned ${s.length} scores for one user, expected ${nItems}`);
      const items = new Int32Array(k);
      topK(s, k, items, undefined, exclude, 0, nItems);
      return { items };
    },
    scoreBatch: batchScore,
  };
}

/**
 * `measureLatency` for models served asynchronously (ONNX Runtime sessions): tinybench times
 * one request (`serving.recommend`: one user's top-k with seen items excluded), cycling
 * through `users`; throughput is one pass over every user in batches (`scoreBatch` + topK).
 * Same percentiles, same rules, so a TF.js row and its ONNX row compare directly.
 */
export async function measureLatencyAsync(serving: AsyncServing, opts: AsyncLatencyOptions): Promise<LatencyResult> {
  const { users, nItems, exclude } = opts;
  const k = opts.k ?? 10;
  if (users.length === 0) throw new ConfigError('measureLatencyAsync: no users to time');
  if (!(nItems > 0)) throw new ConfigError(`measureLatencyAsync: nItems must be positive, got ${nItems}`);
  let cursor = 0;
  const bench = new Bench({ name: 'latency', iterations: opts.iterations ?? 64, time: opts.time ?? 500, retainSamples: true, throws: true });
  bench.add('one user top-k', async () => {
    const u = users[cursor];
    cursor = cursor + 1 === users.length ? 0 : cursor + 1;
    const { items } = await serving.recommend(u, k, exclude?.itemsOf(u));
    if (items.length !== k) throw new ConfigError(`measureLatencyAsync: a request for user ${u} returned ${items.length} items, expected k = ${k}`);
  });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed' || !result.latency.samples) {
    throw new ConfigError(`measureLatencyAsync: tinybench finished in state "${result.state}" without samples`);
  }
  const samples = result.latency.samples;
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const outIdx = new Int32Array(k);
  const outScore = new Float32Array(k);
  const t0 = performance.now();
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    const s = await serving.scoreBatch(batch);
    if (s.length !== batch.length * nItems) {
      throw new ConfigError(`measureLatencyAsync: scoreBatch returned ${s.length} scores for ${batch.length} users, expected ${batch.length} × ${nItems}`);
    }
    for (let b = 0; b < batch.length; b++) {
      topK(s, k, outIdx, outScore, exclude?.itemsOf(batch[b]), b * nItems, nItems);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    p99: quantile(samples, 0.99),
    throughputUsersPerSec: users.length / Math.max(seconds, 1e-6),
    samples: samples.length,
  };
}
