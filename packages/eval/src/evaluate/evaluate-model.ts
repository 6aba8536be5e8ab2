import { ConfigError, recommendTopK } from '@musicrec/core';
import type { Catalog, Interactions, Recommender, TopKResult } from '@musicrec/core';
import { beyondAccuracy } from '../beyond/beyond-accuracy';
import type { BeyondAccuracy } from '../beyond/beyond-accuracy';
import { DEFAULT_KS, evaluateRankings } from '../metrics/ranking';
import type { RankingResult } from '../metrics/ranking';
import { usersWithItems } from './users';

export interface EvaluateModelOptions {
  ks?: readonly number[];
  /** Users scored per scoreUsers call (memory is batchSize × nItems floats). */
  batchSize?: number;
  catalog?: Catalog;
  itemVectors?: { dim: number; values: Float32Array };
  /** Users to rank; default every user with at least one test item. */
  users?: Int32Array;
}

export interface ModelEvaluation {
  ranking: RankingResult;
  beyond: BeyondAccuracy;
  /** Top-max(ks, 10) lists of `users`, training items excluded. */
  recs: TopKResult;
  users: Int32Array;
}

/**
 * The full-ranking protocol: every user is ranked over ALL items with their `fullTrain`
 * items excluded, in batches through core `recommendTopK`; ranking metrics at each K
 * against `test`, beyond-accuracy at 10.
 */
export function evaluateModel(
  model: Pick<Recommender, 'scoreUsers'>,
  split: { fullTrain: Interactions; test: Interactions },
  opts: EvaluateModelOptions = {},
): ModelEvaluation {
  const { fullTrain, test } = split;
  if (fullTrain.nItems !== test.nItems || fullTrain.nUsers !== test.nUsers) {
    throw new ConfigError(
      `train is ${fullTrain.nUsers} × ${fullTrain.nItems} but test is ${test.nUsers} × ${test.nItems}: not the same split`,
    );
  }
  const ks = opts.ks ?? DEFAULT_KS;
  const k = Math.max(10, ...ks);
  const users = opts.users ?? usersWithItems(test);
  const recs = recommendTopK(model, users, fullTrain.nItems, k, { exclude: fullTrain, batchSize: opts.batchSize });
  const ranking = evaluateRankings(recs, users, test, ks);
  const beyond = beyondAccuracy(recs, users, { train: fullTrain, catalog: opts.catalog, itemVectors: opts.itemVectors }, 10);
  return { ranking, beyond, recs, users };
}
