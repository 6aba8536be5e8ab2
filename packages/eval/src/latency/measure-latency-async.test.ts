import { ConfigError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { int32, interactionsFromRows } from '../testing/fixtures';
import { measureLatencyAsync, servingFromScorer } from './measure-latency-async';
import type { AsyncServing } from './measure-latency-async';

describe('measureLatencyAsync', () => {
  const nItems = 30;
  const exclude = interactionsFromRows([[0], [1, 2], [], [3]], nItems);
  const calls: number[][] = [];
  const score = async (users: Int32Array): Promise<Float32Array> => {
    calls.push([...users]);
    const out = new Float32Array(users.length * nItems);
    for (let b = 0; b < users.length; b++) for (let i = 0; i < nItems; i++) out[b * nItems + i] = Math.cos(users[b] * 7 + i);
    return out;
  };

  it('times one request per user over all users, then one batched pass for throughput', async () => {
    // tinybench calls an instant task about a million times: keep one record per user
    const requests = new Map<number, { k: number; exclude: number[] }>();
    const serving: AsyncServing = {
      async recommend(user, k, seen) {
        if (!requests.has(user)) requests.set(user, { k, exclude: [...(seen ?? [])] });
        return { items: new Int32Array(k) };
      },
      scoreBatch: score,
    };
    calls.length = 0;
    const r = await measureLatencyAsync(serving, { users: int32([0, 1, 2, 3]), nItems, exclude, k: 4, iterations: 12, time: 5, batchSize: 3 });
    expect(r.samples).toBeGreaterThanOrEqual(12);
    expect(r.p50).toBeLessThanOrEqual(r.p95);
    expect(r.p95).toBeLessThanOrEqual(r.p99);
    expect(r.throughputUsersPerSec).toBeGreaterThan(0);
    expect(new Set(requests.keys())).toEqual(new Set([0, 1, 2, 3]));
    // every request carries k and that user's seen items
    const seenOf = [[0], [1, 2], [], [3]];
    for (const [user, q] of requests) {
      expect(q.k).toBe(4);
      expect(q.exclude).toEqual(seenOf[user]);
    }
    // the throughput pass: batches of 3 then 1, in user order
    expect(calls).toEqual([[0, 1, 2], [3]]);
  });

  it('servingFromScorer answers a request with the top-k of the full row, seen items removed', async () => {
    const serving = servingFromScorer(score, nItems);
    const { items } = await serving.recommend(1, 3, exclude.itemsOf(1));
    // user 1 scores cos(7 + i): i = 18 (cos 25 = .991), 12 (cos 19 = .989), 24 (cos 31 = .915); items 1 and 2 are seen
    expect(Array.from(items)).toEqual([18, 12, 24]);
    const r = await measureLatencyAsync(serving, { users: int32([0, 3]), nItems, exclude, iterations: 4, time: 1 });
    expect(r.samples).toBeGreaterThanOrEqual(4);
  });

  it('rejects a scorer that returns the wrong number of scores, a request with the wrong length, and no users', async () => {
    const bad = async () => new Float32Array(5);
    await expect(measureLatencyAsync(servingFromScorer(bad, nItems), { users: int32([0]), nItems, iterations: 1, time: 1 })).rejects.toThrow(/expected 30/);
    const short: AsyncServing = { recommend: async () => ({ items: [1] }), scoreBatch: score };
    await expect(measureLatencyAsync(short, { users: int32([0]), nItems, iterations: 1, time: 1 })).rejects.toThrow(/returned 1 items, expected k = 10/);
    const badBatch: AsyncServing = { recommend: async (_u, k) => ({ items: new Int32Array(k) }), scoreBatch: bad };
    await expect(measureLatencyAsync(badBatch, { users: int32([0]), nItems, iterations: 1, time: 1 })).rejects.toThrow(/scoreBatch returned 5 scores for 1 users/);
    await expect(measureLatencyAsync(servingFromScorer(score, nItems), { users: new Int32Array(0), nItems })).rejects.toThrow(ConfigError);
  });
});
