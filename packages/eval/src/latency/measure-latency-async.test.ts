import { ConfigError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { int32, interactionsFromRows } from '../testing/fixtures';
import { measureLatencyAsync } from './measure-latency-async';

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

  it('times one user per call over all users, then one batched pass for throughput', async () => {
    const r = await measureLatencyAsync(score, { users: int32([0, 1, 2, 3]), nItems, exclude, iterations: 12, time: 5, batchSize: 3 });
    expect(r.samples).toBeGreaterThanOrEqual(12);
    expect(r.p50).toBeLessThanOrEqual(r.p95);
    expect(r.p95).toBeLessThanOrEqual(r.p99);
    expect(r.throughputUsersPerSec).toBeGreaterThan(0);
    const single = calls.filter((c) => c.length === 1).map((c) => c[0]);
    expect(new Set(single)).toEqual(new Set([0, 1, 2, 3]));
    // the throughput pass: batches of 3 then 1, in user order
    expect(calls.slice(-2)).toEqual([[0, 1, 2], [3]]);
  });

  it('rejects a scorer that returns the wrong number of scores', async () => {
    const bad = async () => new Float32Array(5);
    await expect(measureLatencyAsync(bad, { users: int32([0]), nItems, iterations: 1, time: 1 })).rejects.toThrow(/expected 30/);
  });

  it('rejects an empty user list', async () => {
    await expect(measureLatencyAsync(score, { users: new Int32Array(0), nItems })).rejects.toThrow(ConfigError);
  });
});
