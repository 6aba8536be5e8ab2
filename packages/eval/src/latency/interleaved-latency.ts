import { ConfigError, topK } from '@musicrec/core';
import type { Interactions, Recommender } from '@musicrec/core';
import { quantile } from './measure-latency';

/** One request: the best `k` items for `user` without `exclude` (sorted ascending), k entries. Sync or async. */
export type RequestFn = (
  user: number,
  k: number,
  exclude: Int32Array | undefined,
) => { items: ArrayLike<number> } | Promise<{ items: ArrayLike<number> }>;

export interface InterleavedLatencyOptions {
  /** Users to cycle through. */
  users: Int32Array;
  /** Seen items per user, passed to every request as `exclude`. */
  exclude?: Interactions;
  /** List length (default 10). */
  k?: number;
  /** Timed requests per way at least (default 256). */
  minSamples?: number;
  /** Keep timing blocks until this many ms have passed (default 1500). */
  time?: number;
  /** Timed requests in a row per way and block (default 32). */
  blockSize?: number;
  /** Untimed requests that open each way's block (default 4): its tables back in cache. */
  blockWarmup?: number;
}

export interface InterleavedLatencyResult {
  /** Blocks run: every way ran one block per round of blocks. */
  blocks: number;
  /** Timed requests per way. */
  samples: number;
  /** Milliseconds per request, by the name given in `requests`. */
  latency: Record<string, { p50: number; p95: number; p99: number }>;
}

/**
 * Latency of several ways to answer the same request, measured side by side. Two
 * implementations timed one after the other on a shared machine compare the machine's load
 * at two moments as much as the code; here they alternate in short blocks (32 timed requests
 * each, the same users for every way), the order rotating from one round of blocks to the
 * next. Blocks rather than single requests: interleaved one by one, each request found the
 * other ways' tables in the cache instead of its own (measured on Last.fm's 4.5 MB item
 * table: every way 2–3× slower than alone), so each block first runs a few untimed requests.
 */
export async function measureInterleavedLatency(requests: Record<string, RequestFn>, opts: InterleavedLatencyOptions): Promise<InterleavedLatencyResult> {
  const names = Object.keys(requests);
  if (names.length === 0) throw new ConfigError('measureInterleavedLatency: no requests to time');
  const { users, exclude } = opts;
  if (users.length === 0) throw new ConfigError('measureInterleavedLatency: no users to time');
  const k = opts.k ?? 10;
  const minSamples = opts.minSamples ?? 256;
  const budget = opts.time ?? 1500;
  const blockSize = Math.max(1, opts.blockSize ?? 32);
  const blockWarmup = Math.max(0, opts.blockWarmup ?? 4);
  const samples = names.map(() => [] as number[]);
  const t0 = performance.now();
  let blocks = 0;
  for (let round = 0; samples[0].length < minSamples || performance.now() - t0 < budget; round++) {
    const first = round * (blockWarmup + blockSize);
    for (let j = 0; j < names.length; j++) {
      const which = (j + round) % names.length;
      const request = requests[names[which]];
      for (let i = 0; i < blockWarmup + blockSize; i++) {
        const u = users[(first + i) % users.length];
        const start = performance.now();
        const { items } = await request(u, k, exclude?.itemsOf(u));
        const ms = performance.now() - start;
        if (items.length !== k) throw new ConfigError(`measureInterleavedLatency: "${names[which]}" returned ${items.length} items for user ${u}, expected k = ${k}`);
        if (i >= blockWarmup) samples[which].push(ms);
      }
      blocks++;
    }
  }
  const latency: InterleavedLatencyResult['latency'] = {};
  names.forEach((name, j) => {
    const s = Float64Array.from(samples[j]).sort();
    latency[name] = { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99) };
  });
  return { blocks, samples: samples[0].length, latency };
}

/** A synchronous model's request: its `scoreUsers` row for the user, then `@musicrec/core` topK. */
export function requestFromModel(model: Pick<Recommender, 'scoreUsers'>, nItems: number): RequestFn {
  const one = new Int32Array(1);
  const row = new Float32Array(nItems);
  return (user, k, exclude) => {
    one[0] = user;
    const s = model.scoreUsers(one, row);
    if (s.length !== nItems) throw new ConfigError(`requestFromModel: scoreUsers returned ${s.length} scores for one user, expected ${nItems}`);
    const items = new Int32Array(k);
    topK(s, k, items, undefined, exclude, 0, nItems);
    return { items };
  };
}
