import { ModelFitError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { choleskyInPlace } from './blocked-cholesky';
import { randomSpd } from './spd-fixtures';

/** Textbook unblocked Cholesky–Banachiewicz, as the reference. */
function naiveCholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = i === j ? Math.sqrt(s) : s / l[j * n + j];
    }
  }
  return l;
}

describe('choleskyInPlace', () => {
  it('matches the unblocked factorisation for sizes that are not multiples of the block', () => {
    for (const [n, blockSize] of [[1, 64], [7, 3], [65, 64], [130, 16], [197, 64], [100, 1]]) {
      const a = randomSpd(n, n);
      const expected = naiveCholesky(a, n);
      const l = a.slice();
      choleskyInPlace(l, n, blockSize);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) worst = Math.max(worst, Math.abs(l[i * n + j] - expected[i * n + j]));
        // the strictly upper triangle is not touched
        for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(a[i * n + j]);
      }
      expect(worst).toBeLessThan(1e-12);
    }
  });

  it('factors a hand-computed 3×3: [[4,2,2],[2,5,3],[2,3,6]] = L·Lᵀ with L = [[2],[1,2],[1,1,2]]', () => {
    const a = Float64Array.of(4, 2, 2, 2, 5, 3, 2, 3, 6);
    choleskyInPlace(a, 3, 2);
    expect([a[0], a[3], a[4], a[6], a[7], a[8]]).toEqual([2, 1, 2, 1, 1, 2]);
  });

  it('names the pivot where a matrix is not positive definite', () => {
    // eigenvalues 3 and −1
    const a = Float64Array.of(1, 2, 2, 1);
    expect(() => choleskyInPlace(a, 2)).toThrow(ModelFitError);
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/pivot 1/);
  });
});
