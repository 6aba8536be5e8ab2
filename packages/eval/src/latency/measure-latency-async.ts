import { Bench } from 'tinybench';
import { ConfigError, topK } from '@musicrec/core';
import { quantile, type LatencyOptions, type LatencyResult } from './measure-latency';

/** Scores every item for `users` (row-major users.length × nItems), e.g. one ONNX session run. */
export type AsyncScorer = (users: Int32Array) => Promise<Float32Array>;

/** The same options as `measureLatency` (users, nItems, exclude, k, iterations, time, batchSize). */
export type AsyncLatencyOptions = LatencyOptions;

/**
 * `measureLatency` for scorers that answer asynchronously (ONNX Runtime sessions): tinybench
 * times one user's scoring + top-k with seen items excluded, cycling through `users`;
 * throughput is one pass over every user in batches. Same percentiles, same rules, so a
 * TF.js row and its ONNX row compare directly.
 */
export async function measureLatencyAsync(score: AsyncScorer, opts: AsyncLatencyOptions): Promise<LatencyResult> {
  const { users, nItems, exclude } = opts;
  const k = opts.k ?? 10;
  if (users.length === 0) throw new ConfigError('measureLatencyAsync: no users to time');
  if (!(nItems > 0)) throw new ConfigError(`measureLatencyAsync: nItems must be positive, got ${nItems}`);
  const outIdx = new Int32Array(k);
  const outScore = new Float32Array(k);
  let cursor = 0;
  const bench = new Bench({ name: 'latency', iterations: opts.iterations ?? 64, time: opts.time ?? 500, retainSamples: true, throws: true });
  bench.add('one user top-k', async () => {
    const u = users[cursor];
    cursor = cursor + 1 === users.length ? 0 : cursor + 1;
    const s = await score(Int32Array.of(u));
    if (s.length !== nItems) throw new ConfigError(`measureLatencyAsync: scorer returned ${s.length} scores for one user, expected ${nItems}`);
    topK(s, k, outIdx, outScore, exclude?.itemsOf(u), 0, nItems);
  });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed' || !result.latency.samples) {
    throw new ConfigError(`measureLatencyAsync: tinybench finished in state "${result.state}" without samples`);
  }
  const samples = result.latency.samples;
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const t0 = performance.now();
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    const s = await score(batch);
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
