import type { Interactions } from './interactions';

export type ProtocolName = 'holdout' | 'leave-last-out' | 'temporal' | 'sampled-100';

/**
 * A train / validation / test partition of one Interactions matrix. All three share the
 * same users, items and id maps; a (user, item) pair is in at most one of them.
 * Validation is carved out of the training data for tuning and early stopping, never the test fold.
 * `fullTrain` is train ∪ validation: models are refitted on it before the test evaluation.
 */
export interface Split {
  readonly protocol: ProtocolName;
  readonly seed: number;
  readonly train: Interactions;
  readonly validation: Interactions;
  readonly fullTrain: Interactions;
  readonly test: Interactions;
}
