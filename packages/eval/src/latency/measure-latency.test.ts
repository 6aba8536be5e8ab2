import { ConfigError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { int32, interactionsFromRows } from '../testing/fixtures';
import { measureLatency, quantile } from './measure-latency';

describe('quantile', () => {
  it('interpolates linearly between order statistics', () => {
    const s = [1, 2, 3, 4, 5];
    expect(quantile(s, 0.5)).toBe(3);
    expect(quantile(s, 0.95)).toBeCloseTo(4.8, 12); // position 3.8
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(5);
    expect(quantile([7], 0.99)).toBe(7);
  });
});

describe('measureLatency', () => {
  const nItems = 50;
  const exclude = interactionsFromRows([[0, 1], [2], [], [3, 4, 5]], nItems);
  const seenUsers: number[] = [];
  const model = {
    scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
      const buf = out ?? new Float32Array(users.length * nItems);
      for (let b = 0; b < users.length; b++) {
        seenUsers.push(users[b]);
        for (let i = 0; i < nItems; i++) buf[b * nItems + i] = Math.sin(users[b] + i);
      }
      return buf;
    },
  };

  it('reports finite, ordered percentiles and a positive throughput, cycling through users', async () => {
    const r = await measureLatency(model, { users: int32([0, 1, 2, 3]), nItems, exclude, iterations: 20, time: 5 });
    for (const v of [r.p50, r.p95, r.p99, r.throughputUsersPerSec]) expect(Number.isFinite(v)).toBe(true);
    expect(r.p50).toBeGreaterThanOrEqual(0);
    expect(r.p50).toBeLessThanOrEqual(r.p95);
    expect(r.p95).toBeLessThanOrEqual(r.p99);
    expect(r.throughputUsersPerSec).toBeGreaterThan(0);
    expect(r.samples).toBeGreaterThanOrEqual(20);
    expect(new Set(seenUsers)).toEqual(new Set([0, 1, 2, 3]));
  });

  it('rejects an empty user list', async () => {
    await expect(measureLatency(model, { users: new Int32Array(0), nItems })).rejects.toThrow(ConfigError);
  });
});
