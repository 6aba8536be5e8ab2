import { Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { AliasSampler } from './alias-sampler';

describe('AliasSampler', () => {
  it('its table encodes exactly weights / Σ weights', () => {
    const weights = [1, 2, 3, 0, 4];
    const s = AliasSampler.fromWeights(weights);
    for (let k = 0; k < weights.length; k++) expect(s.probability(k)).toBeCloseTo(weights[k] / 10, 12);
  });

  it('draws match the distribution and never return a zero-weight index', () => {
    const s = AliasSampler.fromWeights([5, 0, 1, 2]);
    const rng = new Rng(3);
    const counts = [0, 0, 0, 0];
    const n = 80_000;
    for (let t = 0; t < n; t++) counts[s.sample(rng)]++;
    expect(counts[1]).toBe(0);
    // expected 50000, 0, 10000, 20000; 4 standard deviations ≈ 550 at most
    expect(Math.abs(counts[0] - 50_000)).toBeLessThan(600);
    expect(Math.abs(counts[2] - 10_000)).toBeLessThan(400);
    expect(Math.abs(counts[3] - 20_000)).toBeLessThan(500);
  });

  it('is deterministic for a seeded Rng', () => {
    const s = AliasSampler.fromWeights([1, 1, 3, 7]);
    const a = new Rng(9);
    const b = new Rng(9);
    const da = Array.from({ length: 50 }, () => s.sample(a));
    const db = Array.from({ length: 50 }, () => s.sample(b));
    expect(da).toEqual(db);
  });

  it('rejects negative, non-finite and all-zero weights', () => {
    expect(() => AliasSampler.fromWeights([1, -1])).toThrow(/weight 1 is -1/);
    expect(() => AliasSampler.fromWeights([1, Number.NaN])).toThrow(/weight 1 is NaN/);
    expect(() => AliasSampler.fromWeights([0, 0])).toThrow(/sum to 0/);
  });
});
