import { ConfigError, recommendTopK } from '@musicrec/core';
import type { Catalog, Recommender, Sequences, TopKResult } from '@musicrec/core';
import { beyondAccuracy } from '../beyond/beyond-accuracy';
import type { BeyondAccuracy } from '../beyond/beyond-accuracy';
import { DEFAULT_KS, evaluateRankings } from '../metrics/ranking';
import type { RankingResult } from '../metrics/ranking';
import { usersWithItems } from '../evaluate/users';
import { indexIds, interactionsFromSequences, interactionsFromTargets } from './sequence-interactions';

export interface NextItemTruth {
  /** Per user the held-out next item, −1 for users not evaluated. */
  testTarget: Int32Array;
  /** Per user the input sequence the model predicts from; its items are never recommended. */
  exclude: Sequences;
  nItems: number;
}

export interface EvaluateNextItemOptions {
  ks?: readonly number[];
  /** Users scored per scoreUsers call (memory is batchSize × nItems floats). */
  batchSize?: number;
  catalog?: Catalog;
}

export interface NextItemEvaluation {
  ranking: RankingResult;
  beyond: BeyondAccuracy;
  /** Top-max(ks, 10) lists of `users`, input items excluded. */
  recs: TopKResult;
  users: Int32Array;
}

/**
 * Next-item evaluation (leave-last-out): every user with a target is ranked over ALL items
 * (no sampled negatives) with the items of their input sequence excluded, as in the
 * full-ranking variant of the SASRec evaluation; with one relevant item, HitRate@K = Recall@K
 * and NDCG@K = 1/log2(rank + 1) for a hit. A target that already occurs in the input sequence
 * (a repeat) is therefore a miss: this protocol measures discovery of a new item. The metrics
 * are the holdout evaluator's (`evaluateRankings`), beyond-accuracy at 10 against the inputs.
 */
export function evaluateNextItem(
  model: Pick<Recommender, 'scoreUsers'>,
  truth: NextItemTruth,
  opts: EvaluateNextItemOptions = {},
): NextItemEvaluation {
  const { testTarget, exclude, nItems } = truth;
  const nUsers = exclude.indptr.length - 1;
  if (testTarget.length !== nUsers) {
    throw new ConfigError(`testTarget has ${testTarget.length} users but the input sequences have ${nUsers}: not the same split`);
  }
  const userIds = indexIds(nUsers);
  const itemIds = indexIds(nItems);
  const inputs = interactionsFromSequences(exclude, userIds, itemIds);
  const test = interactionsFromTargets(testTarget, userIds, itemIds);
  const ks = opts.ks ?? DEFAULT_KS;
  const users = usersWithItems(test);
  const recs = recommendTopK(model, users, nItems, Math.max(10, ...ks), { exclude: inputs, batchSize: opts.batchSize });
  const ranking = evaluateRankings(recs, users, test, ks);
  const beyond = beyondAccuracy(recs, users, { train: inputs, catalog: opts.catalog }, 10);
  return { ranking, beyond, recs, users };
}
