import { Bench } from 'tinybench';
import { ConfigError, recommendTopK, topK } from '@musicrec/core';
import type { Interactions, Recommender } from '@musicrec/core';

export interface LatencyOptions {
  /** Users to cycle through (latency) and to rank all at once (throughput). */
  users: Int32Array;
  nItems: number;
  /** Seen items per user, excluded as in serving (normally the training matrix). */
  exclude?: Interactions;
  /** List length (default 10). */
  k?: number;
  /** Minimum timed calls (tinybench `iterations`, default 64). */
  iterations?: number;
  /** Minimum timing budget in ms (tinybench `time`, default 500). */
  time?: number;
  /** Users per scoreUsers call for the throughput run (default 256). */
  batchSize?: number;
}

export interface LatencyResult {
  /** Milliseconds to serve one user's top-k (scoreUsers + topK), percentiles of tinybench's samples. */
  p50: number;
  p95: number;
  p99: number;
  /** Users ranked per second by batched `recommendTopK` over all `users`. */
  throughputUsersPerSec: number;
  /** Number of latency samples behind the percentiles. */
  samples: number;
}

/**
 * Serving cost of a model. Latency: tinybench times one user's scoreUsers + top-k with seen
 * items excluded, cycling through `users` so one cached row cannot flatter the numbers.
 * Throughput: wall time of one batched `recommendTopK` over every user (after tinybench's warm-up).
 */
export async function measureLatency(
  model: Pick<Recommender, 'scoreUsers'>,
  opts: LatencyOptions,
): Promise<LatencyResult> {
  const { users, nItems, exclude } = opts;
  const k = opts.k ?? 10;
  if (users.length === 0) throw new ConfigError('measureLatency: no users to time');
  if (!(nItems > 0)) throw new ConfigError(`measureLatency: nItems must be positive, got ${nItems}`);

  const one = new Int32Array(1);
  const scores = new Float32Array(nItems);
  const outIdx = new Int32Array(k);
  const outScore = new Float32Array(k);
  let cursor = 0;
  const bench = new Bench({
    name: 'latency',
    iterations: opts.iterations ?? 64,
    time: opts.time ?? 500,
    retainSamples: true,
    throws: true,
  });
  bench.add('one user top-k', () => {
    const u = users[cursor];
    cursor = cursor + 1 === users.length ? 0 : cursor + 1;
    one[0] = u;
    const s = model.scoreUsers(one, scores);
    topK(s, k, outIdx, outScore, exclude?.itemsOf(u), 0, nItems);
  });
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed' || !result.latency.samples) {
    throw new ConfigError(`measureLatency: tinybench finished in state "${result.state}" without samples`);
  }
  const samples = result.latency.samples;

  const t0 = performance.now();
  recommendTopK(model, users, nItems, k, { exclude, batchSize: opts.batchSize });
  const seconds = (performance.now() - t0) / 1000;

  return {
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    p99: quantile(samples, 0.99),
    // a run too fast for the clock still gets a finite figure
    throughputUsersPerSec: users.length / Math.max(seconds, 1e-6),
    samples: samples.length,
  };
}

/** Linearly interpolated quantile of ascending samples at position (n − 1)·q (tinybench's rule). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}
