import { ConfigError, Rng, resolveConfig } from '@musicrec/core';
import type { Interactions, Split } from '@musicrec/core';
import { TEST, TRAIN, VALIDATION, partsFromLabels } from './partition';

export interface HoldoutConfig {
  seed: number;
  /** Share of each user's items held out for testing: round(testFraction · n), at least 1 when n ≥ 2. */
  testFraction: number;
  /** Share of the rest carved out for validation: round(validationFraction · rest), at least 1 when rest ≥ 3. */
  validationFraction: number;
}

export const holdoutDefaults: Omit<HoldoutConfig, 'seed'> = {
  testFraction: 0.2,
  validationFraction: 0.1,
};

/** Test items for a user with n interactions; a user always keeps at least one training item. */
export function holdoutTestCount(n: number, testFraction: number): number {
  if (n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(testFraction * n)));
}

/** Validation items carved from the nRest non-test items; too few left (< 3) means none. */
export function holdoutValidationCount(nRest: number, validationFraction: number): number {
  if (nRest < 3 || validationFraction === 0) return 0;
  return Math.min(nRest - 1, Math.max(1, Math.round(validationFraction * nRest)));
}

/**
 * Random per-user holdout: each user's items are drawn for test with one seeded stream and
 * validation is drawn from the rest with a second, independent stream (forks of the seed),
 * so changing validationFraction never changes the test fold.
 */
export function holdoutSplit(
  interactions: Interactions,
  options: Partial<HoldoutConfig> & { seed: number },
): Split {
  const config = resolveConfig<HoldoutConfig>('holdoutSplit', { seed: options.seed, ...holdoutDefaults }, options);
  const { seed, testFraction, validationFraction } = config;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new ConfigError(`holdoutSplit: testFraction must be in (0, 1), got ${testFraction}`);
  }
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new ConfigError(`holdoutSplit: validationFraction must be in [0, 1), got ${validationFraction}`);
  }
  const root = new Rng(seed);
  const testRng = root.fork('holdout-test');
  const validationRng = root.fork('holdout-validation');
  const { nUsers, indptr } = interactions;
  const labels = new Uint8Array(interactions.nnz); // all TRAIN (0) to start
  let maxRow = 0;
  for (let u = 0; u < nUsers; u++) maxRow = Math.max(maxRow, indptr[u + 1] - indptr[u]);
  const slots = new Int32Array(maxRow);

  for (let u = 0; u < nUsers; u++) {
    const start = indptr[u];
    const n = indptr[u + 1] - start;
    const nTest = holdoutTestCount(n, testFraction);
    if (nTest === 0) continue;
    for (let j = 0; j < n; j++) slots[j] = j;
    // partial Fisher–Yates: the first nTest slots become a uniform random subset
    for (let j = 0; j < nTest; j++) {
      const r = j + testRng.int(n - j);
      const t = slots[j];
      slots[j] = slots[r];
      slots[r] = t;
      labels[start + slots[j]] = TEST;
    }
    const nRest = n - nTest;
    const nValidation = holdoutValidationCount(nRest, validationFraction);
    if (nValidation === 0) continue;
    // the rest in stored (item) order, so validation depends only on which items remain
    let m = 0;
    for (let j = 0; j < n; j++) if (labels[start + j] === TRAIN) slots[m++] = j;
    for (let j = 0; j < nValidation; j++) {
      const r = j + validationRng.int(nRest - j);
      const t = slots[j];
      slots[j] = slots[r];
      slots[r] = t;
      labels[start + slots[j]] = VALIDATION;
    }
  }
  return { protocol: 'holdout', seed, ...partsFromLabels(interactions, labels) };
}
