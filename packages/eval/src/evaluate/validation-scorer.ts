import { ConfigError, recommendTopK } from '@musicrec/core';
import type { Interactions, Recommender } from '@musicrec/core';
import { evaluateRankings } from '../metrics/ranking';
import { sampleUsers, usersWithItems } from './users';

export interface ValidationScorerOptions {
  /** Cut-off of the NDCG (default 10). */
  k?: number;
  /** Score only a seeded sample of this many validation users (default all). */
  maxUsers?: number;
  seed?: number;
}

/**
 * NDCG@k on the validation fold with the training items excluded: the number tuning and
 * early stopping optimise (it never sees the test fold). The users are chosen once, so
 * every call scores the same users.
 */
export function validationScorer(
  train: Interactions,
  validation: Interactions,
  opts: ValidationScorerOptions = {},
): (model: Pick<Recommender, 'scoreUsers'>) => number {
  const k = opts.k ?? 10;
  if (train.nItems !== validation.nItems || train.nUsers !== validation.nUsers) {
    throw new ConfigError(
      `train is ${train.nUsers} × ${train.nItems} but validation is ${validation.nUsers} × ${validation.nItems}`,
    );
  }
  const all = usersWithItems(validation);
  const users = opts.maxUsers !== undefined ? sampleUsers(all, opts.maxUsers, opts.seed ?? 0) : all;
  const key = String(k);
  return (model) => {
    if (users.length === 0) return 0;
    const recs = recommendTopK(model, users, train.nItems, k, { exclude: train });
    return evaluateRankings(recs, users, validation, [k]).perK[key].ndcg;
  };
}
