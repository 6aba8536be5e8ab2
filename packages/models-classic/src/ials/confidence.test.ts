import { describe, expect, it } from 'vitest';
import { Interactions, ModelFitError } from '@musicrec/core';
import { bm25Weights, confidenceValues } from './confidence';

// 2 users × 3 items: u0 = {i0: 2, i2: 6}, u1 = {i0: 4}
const small = new Interactions(
  Int32Array.from([0, 2, 3]),
  Int32Array.from([0, 2, 0]),
  Float32Array.from([2, 6, 4]),
  ['u0', 'u1'],
  ['a', 'b', 'c'],
);

describe('confidenceValues', () => {
  it('is 1 + alpha·w, or 1 + alpha·log1p(w)', () => {
    expect(Array.from(confidenceValues(small, 'identity', 10))).toEqual([21, 61, 41]);
    const log = confidenceValues(small, 'log1p', 10);
    expect(log[0]).toBeCloseTo(1 + 10 * Math.log(3), 5);
    expect(log[2]).toBeCloseTo(1 + 10 * Math.log(5), 5);
  });

  it('names the user and item of a weight that gives a non-finite confidence', () => {
    const bad = small.mapValues((v) => (v === 6 ? -1 : v));
    expect(() => confidenceValues(bad, 'log1p', 1)).toThrow(ModelFitError);
    expect(() => confidenceValues(bad, 'log1p', 1)).toThrow('user u0 (index 0), item c (index 2)');
  });
});

describe('bm25Weights', () => {
  it("matches implicit's bm25_weight on the items × users matrix, computed by hand", () => {
    // item sums: a = 6, b = 0, c = 6; mean over 3 items = 4 → length norms 0.2 + 0.8·s/4
    // idf: u0 = log 3 − log 3 = 0, u1 = log 3 − log 2
    const w = bm25Weights(small);
    expect(w[0]).toBe(0);
    expect(w[1]).toBe(0);
    const norm = 0.2 + (0.8 * 6) / 4;
    expect(w[2]).toBeCloseTo(((4 * 101) / (100 * norm + 4)) * (Math.log(3) - Math.log(2)), 5);
  });
});
