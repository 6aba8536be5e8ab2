import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, Interactions } from '@musicrec/core';
import { popularityNegativeSampler, sampled100Candidates, uniformNegativeSampler } from './sampling';
import { holdoutSplit, leaveLastOutSplit } from './split';
import { matrixWithRowSizes } from './split/testMatrices';

describe('negative samplers', () => {
  const data = matrixWithRowSizes(Array.from({ length: 20 }, (_, u) => 3 + u), 40);

  it('uniform: never returns a positive, covers the negatives, reproduces with the seed', () => {
    const a = uniformNegativeSampler(data, 7);
    const b = uniformNegativeSampler(data, 7);
    const c = uniformNegativeSampler(data, 8);
    const drawsA: number[] = [];
    const drawsB: number[] = [];
    const drawsC: number[] = [];
    for (let r = 0; r < 2000; r++) {
      const u = r % data.nUsers;
      const i = a.sample(u);
      expect(data.has(u, i)).toBe(false);
      drawsA.push(i);
      drawsB.push(b.sample(u));
      drawsC.push(c.sample(u));
    }
    expect(drawsB).toEqual(drawsA);
    expect(drawsC).not.toEqual(drawsA);
    const seen = new Set<number>();
    for (let r = 0; r < 1000; r++) seen.add(a.sample(0));
    expect(seen.size).toBe(40 - data.rowLength(0)); // all 37 negatives of user 0, nothing else
  });

  it('uniform: frequencies are flat over the negatives', () => {
    const sampler = uniformNegativeSampler(data, 3);
    const counts = new Map<number, number>();
    const n = 37_000;
    for (let r = 0; r < n; r++) {
      const i = sampler.sample(0);
      counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150); // ±4.7σ
  });

  it('popularity: draws ∝ count^alpha among negatives and never returns a positive', () => {
    // users 0–2 hold item 0, users 0–1 item 1, user 0 item 2, nobody item 3; user 3 is empty
    // → item counts [3, 2, 1, 0]
    const x = Interactions.fromTriples([0, 1, 2, 0, 1, 0], [0, 0, 0, 1, 1, 2], null, ['a', 'b', 'c', 'd'], ['i0', 'i1', 'i2', 'i3']);
    const sampler = popularityNegativeSampler(x, { seed: 5, alpha: 1 });
    const counts = [0, 0, 0, 0];
    const n = 60_000;
    for (let r = 0; r < n; r++) counts[sampler.sample(3)]++;
    // weights 3 : 2 : 1 : 0 for the empty user
    expect(counts[3]).toBe(0);
    expect(counts[0] / n).toBeCloseTo(0.5, 1);
    expect(counts[1] / n).toBeCloseTo(1 / 3, 1);
    expect(counts[2] / n).toBeCloseTo(1 / 6, 1);
    // user 2 holds item 0: only items 1 and 2 remain, 2 : 1
    const c2 = [0, 0, 0, 0];
    for (let r = 0; r < 30_000; r++) c2[sampler.sample(2)]++;
    expect(c2[0] + c2[3]).toBe(0);
    expect(c2[1] / 30_000).toBeCloseTo(2 / 3, 1);
    // alpha = 0 is uniform over every negative, unused items included
    const flat = popularityNegativeSampler(x, { seed: 5, alpha: 0 });
    const c3 = [0, 0, 0, 0];
    for (let r = 0; r < 30_000; r++) c3[flat.sample(0)]++;
    expect(c3[3]).toBe(30_000); // user 0 holds items 0–2
  });

  it('sampleDistinct returns distinct negatives and falls back to exact sampling when few remain', () => {
    const sampler = uniformNegativeSampler(data, 1);
    const u = 19; // 22 positives of 40 → 18 negatives
    const out = sampler.sampleDistinct(u, 18, new Int32Array(20), 2);
    const picked = Array.from(out.subarray(2));
    expect(new Set(picked).size).toBe(18);
    for (const i of picked) expect(data.has(u, i)).toBe(false);
    expect(() => sampler.sampleDistinct(u, 19, new Int32Array(19))).toThrow(DataError);
    expect(() => sampler.sampleDistinct(u, 19, new Int32Array(19))).toThrow(/user "user19" has 18 negative items, 19 distinct ones were asked for/);
  });

  it('excludes the positives of every matrix given', () => {
    const split = holdoutSplit(data, { seed: 2 });
    const sampler = uniformNegativeSampler([split.train, split.test], 4);
    for (let r = 0; r < 3000; r++) {
      const u = r % data.nUsers;
      const i = sampler.sample(u);
      expect(split.train.has(u, i) || split.test.has(u, i)).toBe(false);
    }
  });

  it('rejects bad options', () => {
    expect(() => popularityNegativeSampler(data, { seed: 1, alpha: -1 })).toThrow(ConfigError);
    expect(() => uniformNegativeSampler([], 1)).toThrow(ConfigError);
    expect(() => uniformNegativeSampler(data, 1).sample(99)).toThrow(/user index 99 out of range/);
  });
});

describe('sampled100Candidates', () => {
  const data = matrixWithRowSizes(Array.from({ length: 15 }, (_, u) => 2 + u), 200);
  const split = leaveLastOutSplit(data, { seed: 9 });
  const cands = sampled100Candidates(split, 9);

  it('has one row per test interaction: the held-out item, then 100 distinct true negatives', () => {
    expect(cands.protocol).toBe('sampled-100');
    expect(cands.width).toBe(101);
    expect(cands.users.length).toBe(split.test.nnz);
    expect(cands.candidates.length).toBe(split.test.nnz * 101);
    for (let r = 0; r < cands.users.length; r++) {
      const u = cands.users[r];
      const row = cands.candidates.subarray(r * 101, r * 101 + 101);
      expect(row[0]).toBe(cands.positives[r]);
      expect(split.test.has(u, row[0])).toBe(true);
      expect(new Set(row).size).toBe(101);
      for (let j = 1; j < 101; j++) expect(data.has(u, row[j])).toBe(false);
    }
  });

  it('reproduces with the seed', () => {
    expect(Array.from(sampled100Candidates(split, 9).candidates)).toEqual(Array.from(cands.candidates));
    expect(Array.from(sampled100Candidates(split, 10).candidates)).not.toEqual(Array.from(cands.candidates));
  });
});
