import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { topK } from './topk';

function naiveTopK(scores: ArrayLike<number>, k: number, exclude: number[] = []): number[] {
  const ex = new Set(exclude);
  return Array.from(scores, (s, i) => [s, i] as const)
    .filter(([s, i]) => !ex.has(i) && !Number.isNaN(s))
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);
}

describe('topK', () => {
  it('selects best-first and breaks ties by lower index', () => {
    const scores = Float32Array.from([0.5, 0.9, 0.5, 0.1, 0.9, 0.7]);
    const idx = new Int32Array(4);
    const sc = new Float32Array(4);
    expect(topK(scores, 4, idx, sc)).toBe(4);
    expect(Array.from(idx)).toEqual([1, 4, 5, 0]);
    expect(Array.from(sc)).toEqual([Math.fround(0.9), Math.fround(0.9), Math.fround(0.7), 0.5]);
  });

  it('excludes seen items and pads with -1 when there are fewer candidates than k', () => {
    const scores = Float32Array.from([3, 2, 1]);
    const idx = new Int32Array(3);
    const sc = new Float32Array(3);
    expect(topK(scores, 3, idx, sc, Int32Array.from([0, 2]))).toBe(1);
    expect(Array.from(idx)).toEqual([1, -1, -1]);
    expect(sc[1]).toBe(-Infinity);
  });

  it('tolerates duplicate exclusions and k = 0', () => {
    const scores = Float32Array.from([5, 4, 3, 2]);
    const idx = new Int32Array(2);
    expect(topK(scores, 2, idx, undefined, Int32Array.from([0, 0, 2, 2]))).toBe(2);
    expect(Array.from(idx)).toEqual([1, 3]);
    expect(topK(scores, 0, new Int32Array(0))).toBe(0);
  });

  it('skips NaN scores and respects offset/n', () => {
    const scores = Float32Array.from([9, 9, NaN, 1, 5, 7]);
    const idx = new Int32Array(2);
    topK(scores, 2, idx, undefined, undefined, 2, 4);
    expect(Array.from(idx)).toEqual([3, 2]); // items (relative) 3 → 7, 2 → 5
  });

  it('matches a full sort on random data with many ties', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.int(300);
      const scores = Float32Array.from({ length: n }, () => rng.int(20) / 4);
      const exclude = Array.from(new Set(Array.from({ length: rng.int(n) }, () => rng.int(n)))).sort((a, b) => a - b);
      const k = 1 + rng.int(25);
      const idx = new Int32Array(k);
      const got = topK(scores, k, idx, undefined, Int32Array.from(exclude));
      const want = naiveTopK(scores, k, exclude);
      expect(got).toBe(want.length);
      expect(Array.from(idx.subarray(0, got))).toEqual(want);
    }
  });
});
