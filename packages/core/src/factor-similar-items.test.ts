import { describe, expect, it } from 'vitest';
import { factorSimilarItems, rowNorms } from './factor-similar-items';

describe('factorSimilarItems', () => {
  // items 0..3 in 2-d: 0 = (1, 0), 1 = (2, 0.1), 2 = (0, 1), 3 = (-1, 0)
  const factors = Float32Array.of(1, 0, 2, 0.1, 0, 1, -1, 0);

  it('ranks by cosine (not by inner product), leaves the item out, pads with -1', () => {
    const r = factorSimilarItems(factors, 2, 0, 4);
    expect(Array.from(r.items)).toEqual([1, 2, 3, -1]);
    expect(r.scores[0]).toBeCloseTo(2 / Math.hypot(2, 0.1), 6);
    expect(r.scores[1]).toBeCloseTo(0, 6);
    expect(r.scores[2]).toBeCloseTo(-1, 6);
    expect(r.scores[3]).toBe(-Infinity);
  });

  it('takes precomputed norms and refuses an item out of range', () => {
    expect(Array.from(rowNorms(factors, 2))).toEqual([1, Math.fround(Math.hypot(2, 0.1)), 1, 1]);
    expect(Array.from(factorSimilarItems(factors, 2, 2, 1, rowNorms(factors, 2)).items)).toEqual([1]);
    expect(() => factorSimilarItems(factors, 2, 4, 1)).toThrow(/item index 4 out of range \[0, 4\)/);
  });
});
