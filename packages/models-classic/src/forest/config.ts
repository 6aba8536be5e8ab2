import { ConfigError, resolveConfig } from '@musicrec/core';

/**
 * Random-forest regression options. On 0/1 labels a leaf's mean is a probability, so the
 * forest's average is a calibrated-ish score in [0, 1].
 */
export type RandomForestConfig = {
  trees: number;
  /** Depth of the deepest split (the root is depth 0); leaves sit at most at this depth. */
  maxDepth: number;
  /** Fewest (bootstrap) rows a leaf may hold. */
  minLeaf: number;
  /** Share of the features tried at each node (at least one). */
  featureFraction: number;
  /** Quantile bins per feature (2..256): split thresholds are bin edges. */
  bins: number;
  /** Rows per tree as a share of all rows. */
  sampleFraction: number;
  /** true: draw each tree's rows with replacement (bagging); false: the first share of a seeded shuffle. */
  bootstrap: boolean;
};

export const randomForestDefaults: RandomForestConfig = {
  trees: 50,
  maxDepth: 10,
  minLeaf: 20,
  featureFraction: 0.5,
  bins: 32,
  sampleFraction: 1,
  bootstrap: true,
};

/** Defaults filled in; unknown keys and out-of-range values rejected. */
export function resolveRandomForestConfig(given: Partial<RandomForestConfig> = {}): RandomForestConfig {
  const c = resolveConfig('random-forest', randomForestDefaults, given);
  integerIn(c.trees, 'trees', 1, 100_000);
  integerIn(c.maxDepth, 'maxDepth', 0, 64);
  integerIn(c.minLeaf, 'minLeaf', 1, Number.MAX_SAFE_INTEGER);
  integerIn(c.bins, 'bins', 2, 256);
  if (!(c.featureFraction > 0 && c.featureFraction <= 1)) {
    throw new ConfigError(`random-forest: option "featureFraction" must be in (0, 1], got ${c.featureFraction}`);
  }
  if (!(c.sampleFraction > 0 && c.sampleFraction <= 1)) {
    throw new ConfigError(`random-forest: option "sampleFraction" must be in (0, 1], got ${c.sampleFraction}`);
  }
  return c;
}

function integerIn(v: number, key: string, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(`random-forest: option "${key}" must be an integer in [${min}, ${max}], got ${v}`);
  }
}
