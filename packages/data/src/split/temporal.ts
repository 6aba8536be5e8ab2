import { ConfigError, DataError, resolveConfig } from '@musicrec/core';
import type { Interactions, Split } from '@musicrec/core';
import { TEST, VALIDATION, partsFromLabels } from './partition';

export interface TemporalConfig {
  /** Quantile of all timestamps where validation starts. */
  trainFraction: number;
  /** Share of interactions (by time) between the validation start and the test start. */
  validationFraction: number;
  /** Recorded in the split only: the global cut is deterministic. */
  seed: number;
}

export const temporalDefaults: TemporalConfig = {
  trainFraction: 0.8,
  validationFraction: 0.1,
  seed: 0,
};

/** A temporal split plus the two cut times it used. */
export interface TemporalSplit extends Split {
  /** Interactions at or after this time (and before testStart) are validation. */
  readonly validationStart: number;
  /** Interactions at or after this time are test; +Infinity when there is no test part. */
  readonly testStart: number;
}

/**
 * One global cut by time: everything before the trainFraction quantile of the timestamps
 * is train, the next validationFraction is validation, the rest is test. Interactions
 * sharing a timestamp always land on the same side of a cut. Users or items that only
 * appear after a cut are cold in train; that is the point of this protocol.
 */
export function temporalSplit(interactions: Interactions, options: Partial<TemporalConfig> = {}): TemporalSplit {
  const { trainFraction, validationFraction, seed } = resolveConfig('temporalSplit', temporalDefaults, options);
  if (!(trainFraction > 0 && trainFraction <= 1)) {
    throw new ConfigError(`temporalSplit: trainFraction must be in (0, 1], got ${trainFraction}`);
  }
  if (!(validationFraction >= 0 && trainFraction + validationFraction <= 1)) {
    throw new ConfigError(
      `temporalSplit: validationFraction must be ≥ 0 and trainFraction + validationFraction ≤ 1, got ${trainFraction} + ${validationFraction}`,
    );
  }
  const ts = interactions.timestamps;
  if (!ts) {
    throw new DataError('a temporal split needs interaction timestamps, and this matrix has none', {
      field: 'timestamps',
    });
  }
  const nnz = interactions.nnz;
  for (let u = 0; u < interactions.nUsers; u++) {
    for (let k = interactions.indptr[u]; k < interactions.indptr[u + 1]; k++) {
      if (!Number.isFinite(ts[k])) {
        throw new DataError(
          `user "${interactions.userIds[u]}", item "${interactions.itemIds[interactions.indices[k]]}" has timestamp ${ts[k]}`,
          { field: 'timestamps' },
        );
      }
    }
  }
  const sorted = Float64Array.from(ts).sort();
  const cutAt = (fraction: number): number => {
    const k = Math.round(fraction * nnz);
    return k >= nnz ? Infinity : sorted[k];
  };
  const validationStart = cutAt(trainFraction);
  const testStart = cutAt(trainFraction + validationFraction);
  const labels = new Uint8Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const t = ts[k];
    if (t >= testStart) labels[k] = TEST;
    else if (t >= validationStart) labels[k] = VALIDATION;
  }
  return {
    protocol: 'temporal',
    seed,
    validationStart,
    testStart,
    ...partsFromLabels(interactions, labels),
  };
}
