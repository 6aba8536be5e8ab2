import { describe, expect, it } from 'vitest';
import { SimdGram } from './gram-simd';

describe('SimdGram', () => {
  it('matches plain dot products for sizes that are not multiples of four, block by block', () => {
    const n = 7;
    const dim = 5;
    const rows = Float32Array.from({ length: n * dim }, (_, k) => ((k * 37) % 11) - 5);
    const gram = new SimdGram(rows, dim, n, 3);
    expect(gram.stride).toBe(8);
    for (const [from, to] of [
      [0, 3],
      [3, 6],
      [6, 7],
    ]) {
      const block = gram.block(from, to);
      for (let i = from; i < to; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += rows[i * dim + d] * rows[j * dim + d];
          // small integers: float32 sums are exact
          expect(block[(i - from) * gram.stride + j]).toBe(dot);
        }
      }
    }
  });
});
