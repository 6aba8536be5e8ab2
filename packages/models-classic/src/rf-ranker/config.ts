import { ConfigError, resolveConfig } from '@musicrec/core';
import { RF_RANKER_BASES, type RfRankerBase } from './base-models';

/**
 * Random-forest re-ranker options. The base model proposes `candidates` items per user; a
 * forest trained on held-back training items (see `labelSplit`) scores each candidate.
 */
export type RfRankerConfig = {
  /** Candidate generator, built through its models-classic factory. */
  base: RfRankerBase;
  /** Options of the base model (checked by its own config resolver). */
  baseParams: Record<string, unknown>;
  /** Candidates per user, scored by the forest; the rest keep the base order below them. */
  candidates: number;
  trees: number;
  maxDepth: number;
  minLeaf: number;
  /** Share of the features tried at each split. */
  featureFraction: number;
  /** Quantile bins per feature. */
  bins: number;
  /** Negative candidates kept per positive one in a user's training rows (all positives kept). */
  negativesPerPositive: number;
  /** Share of each user's training items held back as labels while the base model fits the rest. */
  labelFraction: number;
};

export const rfRankerDefaults: RfRankerConfig = {
  base: 'ials',
  baseParams: {},
  candidates: 50,
  trees: 50,
  maxDepth: 8,
  minLeaf: 20,
  featureFraction: 0.5,
  bins: 32,
  negativesPerPositive: 5,
  labelFraction: 0.2,
};

/** The small grid the bench tunes on the validation fold. */
export const rfRankerSearchSpace = {
  candidates: [20, 50, 100],
  maxDepth: [6, 10],
} satisfies { [K in keyof RfRankerConfig]?: readonly RfRankerConfig[K][] };

/** Defaults filled in; unknown keys and out-of-range values rejected. */
export function resolveRfRankerConfig(given: Partial<RfRankerConfig> = {}): RfRankerConfig {
  const c = resolveConfig('rf-ranker', rfRankerDefaults, given);
  if (!RF_RANKER_BASES.includes(c.base)) {
    throw new ConfigError(`rf-ranker: option "base" must be one of ${RF_RANKER_BASES.join(', ')}, got ${JSON.stringify(c.base)}`);
  }
  if (c.baseParams === null || Array.isArray(c.baseParams)) {
    throw new ConfigError(`rf-ranker: option "baseParams" must be an object of base-model options, got ${JSON.stringify(c.baseParams)}`);
  }
  integerAtLeast(c.candidates, 'candidates', 1);
  integerAtLeast(c.trees, 'trees', 1);
  integerAtLeast(c.maxDepth, 'maxDepth', 0);
  integerAtLeast(c.minLeaf, 'minLeaf', 1);
  integerAtLeast(c.bins, 'bins', 2);
  if (c.bins > 256) throw new ConfigError(`rf-ranker: option "bins" must be at most 256, got ${c.bins}`);
  if (!(c.negativesPerPositive > 0) || !Number.isFinite(c.negativesPerPositive)) {
    throw new ConfigError(`rf-ranker: option "negativesPerPositive" must be a finite number > 0, got ${c.negativesPerPositive}`);
  }
  if (!(c.featureFraction > 0 && c.featureFraction <= 1)) {
    throw new ConfigError(`rf-ranker: option "featureFraction" must be in (0, 1], got ${c.featureFraction}`);
  }
  if (!(c.labelFraction > 0 && c.labelFraction < 1)) {
    throw new ConfigError(`rf-ranker: option "labelFraction" must be in (0, 1), got ${c.labelFraction}`);
  }
  return c;
}

function integerAtLeast(v: number, key: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`rf-ranker: option "${key}" must be an integer >= ${min}, got ${v}`);
}
