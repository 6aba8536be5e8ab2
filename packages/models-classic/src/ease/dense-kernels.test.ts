import { Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { dot, gemmNT } from './dense-kernels';

function randomArray(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n);
  for (let k = 0; k < n; k++) a[k] = rng.next() * 2 - 1;
  return a;
}

describe('gemmNT', () => {
  it('adds alpha · A·Bᵀ like the naive triple loop, for shapes that are not multiples of the 4×4 block', () => {
    const rng = new Rng(5);
    // depth 300 crosses the 256-wide depth chunk
    for (const [rows, cols, depth] of [[1, 1, 1], [3, 5, 7], [9, 6, 300], [13, 17, 64]]) {
      const lda = depth + 3;
      const ldb = depth + 1;
      const ldc = cols + 2;
      const a = randomArray(2 + rows * lda, rng);
      const b = randomArray(1 + cols * ldb, rng);
      const c = randomArray(rows * ldc, rng);
      const expected = c.slice();
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          let s = 0;
          for (let p = 0; p < depth; p++) s += a[2 + i * lda + p] * b[1 + j * ldb + p];
          expected[i * ldc + j] += -0.5 * s;
        }
      }
      gemmNT(c, 0, ldc, a, 2, lda, b, 1, ldb, rows, cols, depth, -0.5);
      for (let k = 0; k < c.length; k++) expect(c[k]).toBeCloseTo(expected[k], 12);
    }
  });

  it('lowerOnly writes j ≤ i and leaves the strictly upper part untouched', () => {
    const rng = new Rng(6);
    for (const n of [1, 4, 7, 10]) {
      const depth = 5;
      const a = randomArray(n * depth, rng);
      const c = new Float64Array(n * n).fill(7);
      gemmNT(c, 0, n, a, 0, depth, a, 0, depth, n, n, depth, 1, true);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const want = j <= i ? 7 + dot(a, i * depth, a, j * depth, depth) : 7;
          expect(c[i * n + j]).toBeCloseTo(want, 12);
        }
      }
    }
  });

  it('dot handles lengths that are not multiples of four', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6, 7);
    const y = Float64Array.of(7, 6, 5, 4, 3, 2, 1);
    expect(dot(x, 0, y, 0, 7)).toBe(84); // 7+12+15+16+15+12+7
    expect(dot(x, 2, y, 1, 3)).toBe(3 * 6 + 4 * 5 + 5 * 4);
    expect(dot(x, 0, y, 0, 0)).toBe(0);
  });
});
