import type { Interactions, Recommender, TopKResult } from '@musicrec/core';
import { coldShareAtK } from '../coldstart/cold-start-metrics';
import { evaluateModel } from '../evaluate/evaluate-model';

/**
 * The leaderboard without items nobody trained on. When a catalogue is built from the
 * interactions themselves (Spotify: every track is in some playlist), an item with no
 * training interaction is by construction some user's test item, so a model that can score
 * such items (content) is rewarded for the catalogue's construction as well as for its
 * taste. This view takes cold items out of both the ranking and the relevant set.
 */
export interface WarmItemsView {
  /** Items with no interaction in the training matrix the model was fitted on. */
  coldItems: number;
  /** Share of the test interactions that fall on cold items. */
  coldTestShare: number;
  /** Share of the full-protocol top-10 slots (all users ranked; `coldShareAtK`) that hold cold items. */
  coldShareOfTop10: number;
  /** Users with at least one warm test item: the ones the warm metrics average over. */
  users: number;
  ndcg10: number;
  hitRate10: number;
  recall20: number;
}

/** Items with no interaction in `train` (1 = cold). */
export function coldItemMask(train: Interactions): Uint8Array {
  const counts = train.itemCounts();
  const cold = new Uint8Array(counts.length);
  for (let i = 0; i < counts.length; i++) cold[i] = counts[i] === 0 ? 1 : 0;
  return cold;
}

/**
 * Ranks the users again with cold items' scores set to −∞ and counts only warm test items;
 * `recs` (the full-protocol lists) give the cold share of the top-10.
 */
export function warmItemsView(
  model: Pick<Recommender, 'scoreUsers'>,
  split: { fullTrain: Interactions; test: Interactions },
  recs: TopKResult,
): WarmItemsView {
  const { fullTrain, test } = split;
  const cold = coldItemMask(fullTrain);
  let coldItems = 0;
  for (let i = 0; i < cold.length; i++) coldItems += cold[i];
  let coldTest = 0;
  for (let k = 0; k < test.nnz; k++) coldTest += cold[test.indices[k]];
  const warmTest = test.filterEntries((_u, k) => cold[test.indices[k]] === 0);
  const warmOnly = {
    scoreUsers(batch: Int32Array, out?: Float32Array): Float32Array {
      const scores = model.scoreUsers(batch, out);
      const nItems = cold.length;
      for (let b = 0; b < batch.length; b++) {
        for (let i = 0; i < nItems; i++) if (cold[i]) scores[b * nItems + i] = Number.NEGATIVE_INFINITY;
      }
      return scores;
    },
  };
  const evaluation = evaluateModel(warmOnly, { fullTrain, test: warmTest }, { ks: [10, 20] });
  const at10 = evaluation.ranking.perK['10'];
  return {
    coldItems,
    coldTestShare: test.nnz > 0 ? coldTest / test.nnz : 0,
    coldShareOfTop10: coldShareAtK(recs, Math.min(10, recs.k), cold),
    users: evaluation.ranking.nUsersEvaluated,
    ndcg10: at10.ndcg,
    hitRate10: at10.hitRate,
    recall20: evaluation.ranking.perK['20'].recall,
  };
}
