import { ConfigError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { int32, interactionsFromRows } from '../testing/fixtures';
import { measureInterleavedLatency, requestFromModel } from './interleaved-latency';
import type { RequestFn } from './interleaved-latency';

describe('measureInterleavedLatency', () => {
  const exclude = interactionsFromRows([[0], [1, 2], [], [3]], 6);

  it('runs the ways in blocks over the same users, the order rotating each round, warm-up requests untimed', async () => {
    const log: string[] = [];
    const make = (name: string): RequestFn => (user, k, seen) => {
      log.push(`${name}${user}:${[...(seen ?? [])].join('.')}`);
      return { items: new Int32Array(k) };
    };
    const asyncB: RequestFn = async (user, k, seen) => make('b')(user, k, seen);
    const r = await measureInterleavedLatency(
      { a: make('a'), b: asyncB, c: make('c') },
      { users: int32([1, 3, 0, 2]), exclude, minSamples: 4, time: 0, blockSize: 2, blockWarmup: 1 },
    );
    // 4 timed requests per way in blocks of 2 → 2 rounds of 3 blocks, each block 1 + 2 requests
    expect(r.samples).toBe(4);
    expect(r.blocks).toBe(6);
    expect(log).toHaveLength(18);
    // round 0: a, b, c over users 1, 3, 0; round 1: b, c, a over the next users in the cycle, 2, 1, 3
    expect(log.slice(0, 3)).toEqual(['a1:1.2', 'a3:3', 'a0:0']);
    expect(log.slice(3, 9)).toEqual(['b1:1.2', 'b3:3', 'b0:0', 'c1:1.2', 'c3:3', 'c0:0']);
    expect(log.slice(9, 18).map((e) => e[0])).toEqual(['b', 'b', 'b', 'c', 'c', 'c', 'a', 'a', 'a']);
    expect(log.slice(9, 12)).toEqual(['b2:', 'b1:1.2', 'b3:3']);
    for (const name of ['a', 'b', 'c']) {
      const { p50, p95, p99 } = r.latency[name];
      expect(p50).toBeGreaterThanOrEqual(0);
      expect(p50).toBeLessThanOrEqual(p95);
      expect(p95).toBeLessThanOrEqual(p99);
    }
  });

  it('requestFromModel ranks the model row with seen items removed', async () => {
    // scores: item i → 10 − i for user 1
    const model = { scoreUsers: (users: Int32Array, out?: Float32Array) => (out ?? new Float32Array(6)).map((_, i) => users[0] * (10 - i)) };
    const request = requestFromModel(model, 6);
    expect(Array.from((await request(1, 3, exclude.itemsOf(1))).items)).toEqual([0, 3, 4]);
    const wrong = requestFromModel({ scoreUsers: () => new Float32Array(2) }, 6);
    expect(() => wrong(0, 3, undefined)).toThrow(/returned 2 scores for one user, expected 6/);
  });

  it('names a request that returns the wrong number of items, and refuses empty inputs', async () => {
    const short: RequestFn = () => ({ items: [1, 2] });
    await expect(measureInterleavedLatency({ short }, { users: int32([0]), k: 3 })).rejects.toThrow(/"short" returned 2 items for user 0, expected k = 3/);
    await expect(measureInterleavedLatency({}, { users: int32([0]) })).rejects.toThrow(ConfigError);
    await expect(measureInterleavedLatency({ short }, { users: new Int32Array(0) })).rejects.toThrow(/no users/);
  });
});
