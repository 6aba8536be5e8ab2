import { ConfigError, resolveConfig } from '@musicrec/core';
import { CF_MEMBER_NAMES } from './member-factories';

/** History-length buckets: a user's weights depend on how many training items they have. */
export const BUCKETS = ['new', 'cold', 'active'] as const;
export type EnsembleBucket = (typeof BUCKETS)[number];

/** Members in blend order; each bucket's weight vector lists them in this order. */
export const MEMBERS = ['cf', 'content', 'popularity'] as const;
export type EnsembleMember = (typeof MEMBERS)[number];

/**
 * How each member's row is put on a common scale before blending:
 * 'zscore': (s − mean) / std over the catalogue;
 * 'top-minmax': min–max over the member's top `normalizationTopN` unseen items, 0 below them.
 */
export type EnsembleNormalization = 'zscore' | 'top-minmax';

/**
 * Per bucket, the weights of [cf, content, popularity] (non-negative), optionally followed by
 * the cold-item share in [0, 1]: how much of an unplayed item's CF and popularity score is the
 * one imputed from its content neighbours (1 = all, 0 = the member's own; absent = 1).
 */
export type BucketWeights = Record<EnsembleBucket, number[]>;

/**
 * Adaptive ensemble options. Each member's scores are z-scored per user over the catalogue,
 * then summed with the weight vector of the user's history bucket:
 * new ≤ newMaxItems < cold ≤ coldMaxItems < active.
 */
export type EnsembleConfig = {
  /** Collaborative member: a registry name from CF_MEMBER_NAMES. */
  cf: string;
  /** Options of the CF member (its own config; unknown keys are its error). */
  cfParams: Record<string, unknown>;
  /** Options of the content-kNN member. */
  contentParams: Record<string, unknown>;
  normalization: EnsembleNormalization;
  /** Top items per member that 'top-minmax' spreads over [0, 1]. */
  normalizationTopN: number;
  /** Largest training-history length of a "new" user. */
  newMaxItems: number;
  /** Largest training-history length of a "cold" user; longer histories are "active". */
  coldMaxItems: number;
  /**
   * Fixed weights per bucket; null = tune them on `ctx.validation` (or, without one, use
   * `untunedWeights`). The bench passes the tuned ones back here for the refit on train ∪ validation.
   */
  bucketWeights: BucketWeights | null;
  /** Grid step over the weight simplex when tuning (1 / step must be an integer). */
  weightStep: number;
  /** Validation users scored per bucket when tuning (a seeded sample); 0 = all. */
  maxValidationUsers: number;
  /**
   * A new or cold bucket with fewer validation users than this is tuned on simulated users
   * instead: validation users with longer histories whose training items are cut to a random
   * length in the bucket's range, scored through the members' `scoreFromItems` (the path a
   * liked-items user takes). 0 = never simulate.
   */
  minBucketUsers: number;
  /** How many simulated users such a bucket is tuned on (at most the users available). */
  simulatedUsers: number;
  /**
   * Items with no training interaction get the CF and popularity scores imputed from their
   * `coldNeighbors` nearest played items by content (see cold-start/cold-item-imputation), to
   * the extent of each bucket's cold-item share (tuned on validation: on or off);
   * 0 = off (they keep the member's score, which sinks them).
   */
  coldNeighbors: number;
  /** MMR re-ranking of the blended list: relevance weight λ; 1 = off. */
  mmrLambda: number;
  /** Blended top items MMR reorders (when mmrLambda < 1). */
  mmrPool: number;
};

export const ensembleDefaults: EnsembleConfig = {
  cf: 'ials',
  cfParams: {},
  contentParams: {},
  normalization: 'top-minmax',
  normalizationTopN: 100,
  newMaxItems: 2,
  coldMaxItems: 10,
  bucketWeights: null,
  weightStep: 0.2,
  maxValidationUsers: 0,
  minBucketUsers: 50,
  simulatedUsers: 300,
  coldNeighbors: 20,
  mmrLambda: 1,
  mmrPool: 100,
};

/**
 * Weights used when there is nothing to tune on (no validation fold, or no validation user in
 * a bucket): the shorter the history, the less CF and the more content and popularity.
 */
export const untunedWeights: BucketWeights = {
  new: [0.3, 0.4, 0.3],
  cold: [0.5, 0.3, 0.2],
  active: [0.7, 0.2, 0.1],
};

/** Defaults filled in; unknown keys, out-of-range values and malformed weights rejected. */
export function resolveEnsembleConfig(given: Partial<EnsembleConfig> = {}): EnsembleConfig {
  const c = resolveConfig('ensemble', ensembleDefaults, given);
  if (!CF_MEMBER_NAMES.includes(c.cf)) {
    throw new ConfigError(`ensemble: option "cf" must be one of ${CF_MEMBER_NAMES.join(', ')}, got ${JSON.stringify(c.cf)}`);
  }
  for (const key of ['cfParams', 'contentParams'] as const) {
    if (c[key] === null || Array.isArray(c[key])) throw new ConfigError(`ensemble: option "${key}" must be an object of options`);
  }
  if (c.normalization !== 'zscore' && c.normalization !== 'top-minmax') {
    throw new ConfigError(`ensemble: option "normalization" must be "zscore" or "top-minmax", got ${JSON.stringify(c.normalization)}`);
  }
  if (!Number.isInteger(c.normalizationTopN) || c.normalizationTopN < 1) {
    throw new ConfigError(`ensemble: option "normalizationTopN" must be an integer >= 1, got ${c.normalizationTopN}`);
  }
  if (!Number.isInteger(c.newMaxItems) || c.newMaxItems < 0) {
    throw new ConfigError(`ensemble: option "newMaxItems" must be an integer >= 0, got ${c.newMaxItems}`);
  }
  if (!Number.isInteger(c.coldMaxItems) || c.coldMaxItems <= c.newMaxItems) {
    throw new ConfigError(`ensemble: options "coldMaxItems" (${c.coldMaxItems}) and "newMaxItems" (${c.newMaxItems}) conflict: coldMaxItems must be an integer > newMaxItems`);
  }
  if (c.bucketWeights !== null) checkBucketWeights(c.bucketWeights);
  const steps = 1 / c.weightStep;
  if (!(c.weightStep > 0 && c.weightStep <= 1) || Math.abs(steps - Math.round(steps)) > 1e-9) {
    throw new ConfigError(`ensemble: option "weightStep" must be 1/n for an integer n >= 1, got ${c.weightStep}`);
  }
  if (!Number.isInteger(c.maxValidationUsers) || c.maxValidationUsers < 0) {
    throw new ConfigError(`ensemble: option "maxValidationUsers" must be an integer >= 0, got ${c.maxValidationUsers}`);
  }
  for (const key of ['minBucketUsers', 'simulatedUsers', 'coldNeighbors'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 0) throw new ConfigError(`ensemble: option "${key}" must be an integer >= 0, got ${c[key]}`);
  }
  if (!(c.mmrLambda >= 0 && c.mmrLambda <= 1)) throw new ConfigError(`ensemble: option "mmrLambda" must be in [0, 1], got ${c.mmrLambda}`);
  if (!Number.isInteger(c.mmrPool) || c.mmrPool < 1) throw new ConfigError(`ensemble: option "mmrPool" must be an integer >= 1, got ${c.mmrPool}`);
  return c;
}

function checkBucketWeights(w: BucketWeights): void {
  if (typeof w !== 'object' || Array.isArray(w)) throw new ConfigError('ensemble: option "bucketWeights" must be { new, cold, active } or null');
  for (const key of Object.keys(w)) {
    if (!(BUCKETS as readonly string[]).includes(key)) throw new ConfigError(`ensemble: bucketWeights has unknown bucket "${key}" (known: ${BUCKETS.join(', ')})`);
  }
  for (const b of BUCKETS) {
    const v = w[b];
    const lengthOk = Array.isArray(v) && (v.length === MEMBERS.length || v.length === MEMBERS.length + 1);
    if (!lengthOk || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)) {
      throw new ConfigError(
        `ensemble: bucketWeights.${b} must be ${MEMBERS.length} finite numbers >= 0 (${MEMBERS.join(', ')}), optionally then the cold-item share, got ${JSON.stringify(v)}`,
      );
    }
    if (v.length > MEMBERS.length && v[MEMBERS.length] > 1) {
      throw new ConfigError(`ensemble: bucketWeights.${b} cold-item share (entry ${MEMBERS.length}) must be in [0, 1], got ${v[MEMBERS.length]}`);
    }
  }
}

/** Bucket index (0 new, 1 cold, 2 active) of a training history of `length` items. */
export function historyBucket(length: number, newMaxItems: number, coldMaxItems: number): number {
  return length <= newMaxItems ? 0 : length <= coldMaxItems ? 1 : 2;
}
