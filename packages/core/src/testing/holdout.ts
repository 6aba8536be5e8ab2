import type { Interactions } from '../interactions';
import { Rng } from '../rng';

/**
 * Per-user seeded holdout as in DESIGN.md: shuffle each user's items, put round(fraction·n)
 * in test (at least 1 when n ≥ 2, none when n < 2), keep the rest for training.
 * Kept here so the shared suite needs nothing outside core.
 */
export function perUserHoldout(
  data: Interactions,
  seed: number,
  testFraction = 0.2,
): { train: Interactions; test: Interactions } {
  const rng = new Rng(seed);
  const inTest = new Uint8Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) {
    const start = data.indptr[u];
    const n = data.indptr[u + 1] - start;
    if (n < 2) continue;
    const nTest = Math.min(n - 1, Math.max(1, Math.round(testFraction * n)));
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    rng.shuffle(order);
    for (let k = 0; k < nTest; k++) inTest[start + order[k]] = 1;
  }
  return {
    train: data.filterEntries((_, k) => inTest[k] === 0),
    test: data.filterEntries((_, k) => inTest[k] === 1),
  };
}
