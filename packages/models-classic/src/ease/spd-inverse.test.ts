import { ModelFitError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { invertSpdInPlace } from './spd-inverse';
import { randomSpd } from './spd-fixtures';

/** Gauss–Jordan with partial pivoting: a different route to the inverse, as the reference. */
function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const w = 2 * n;
  const m = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * w + j] = a[i * n + j];
    m[i * w + n + i] = 1;
  }
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * w + c]) > Math.abs(m[pivot * w + c])) pivot = r;
    for (let k = 0; k < w; k++) [m[c * w + k], m[pivot * w + k]] = [m[pivot * w + k], m[c * w + k]];
    const p = m[c * w + c];
    for (let k = 0; k < w; k++) m[c * w + k] /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * w + c];
      for (let k = 0; k < w; k++) m[r * w + k] -= f * m[c * w + k];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inv[i * n + j] = m[i * w + n + j];
  return inv;
}

describe('invertSpdInPlace', () => {
  it('matches Gauss–Jordan and gives A·A⁻¹ = I for sizes that are not multiples of the block', () => {
    for (const [n, blockSize] of [[1, 64], [2, 1], [9, 4], [67, 64], [130, 16], [150, 7]]) {
      const a = randomSpd(n, 100 + n);
      const expected = gaussJordanInverse(a, n);
      const inv = a.slice();
      invertSpdInPlace(inv, n, blockSize);
      let worstDiff = 0;
      let worstIdentity = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          worstDiff = Math.max(worstDiff, Math.abs(inv[i * n + j] - expected[i * n + j]));
          expect(inv[i * n + j]).toBe(inv[j * n + i]); // exactly symmetric
          let s = 0;
          for (let p = 0; p < n; p++) s += a[i * n + p] * inv[p * n + j];
          worstIdentity = Math.max(worstIdentity, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      expect(worstDiff).toBeLessThan(1e-12);
      expect(worstIdentity).toBeLessThan(1e-12);
    }
  });

  it('inverts a hand-computed 2×2: [[2,1],[1,2]]⁻¹ = [[2,−1],[−1,2]] / 3', () => {
    const a = Float64Array.of(2, 1, 1, 2);
    invertSpdInPlace(a, 2, 1);
    const expected = [2 / 3, -1 / 3, -1 / 3, 2 / 3];
    for (let k = 0; k < 4; k++) expect(a[k]).toBeCloseTo(expected[k], 14);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => invertSpdInPlace(Float64Array.of(1, 0, 0, -1), 2)).toThrow(ModelFitError);
  });
});
