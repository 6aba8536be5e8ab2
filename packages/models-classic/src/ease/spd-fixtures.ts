import { Rng } from '@musicrec/core';

/**
 * A random symmetric positive definite n×n matrix (row-major): M·Mᵀ + shift·I with M uniform
 * in [−0.5, 0.5). For the linear-algebra tests; seeded so failures reproduce.
 */
export function randomSpd(n: number, seed: number, shift = 0.1 * n): Float64Array {
  const rng = new Rng(seed);
  const m = new Float64Array(n * n);
  for (let k = 0; k < m.length; k++) m[k] = rng.next() - 0.5;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += m[i * n + p] * m[j * n + p];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
    a[i * n + i] += shift;
  }
  return a;
}
