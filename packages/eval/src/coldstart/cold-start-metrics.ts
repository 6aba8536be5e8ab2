import type { TopKResult } from '@musicrec/core';
import type { ModelEvaluation } from '../evaluate/evaluate-model';
import type { ColdStartMetrics } from './types';

/** NDCG@10, HR@10, Recall@20 and coverage of one evaluation (which must include K = 10 and 20). */
export function coldStartMetrics(evaluation: ModelEvaluation): ColdStartMetrics {
  const at10 = evaluation.ranking.perK['10'];
  const at20 = evaluation.ranking.perK['20'];
  return {
    users: evaluation.ranking.nUsersEvaluated,
    ndcg10: at10.ndcg,
    hitRate10: at10.hitRate,
    recall20: at20.recall,
    coverage: evaluation.beyond.coverage,
  };
}

/** Share of the top-`k` slots (of every list) that hold an item flagged in `isCold`; -1 fillers count as slots. */
export function coldShareAtK(recs: TopKResult, k: number, isCold: Uint8Array): number {
  const nLists = recs.items.length / recs.k;
  if (nLists === 0) return 0;
  let cold = 0;
  for (let row = 0; row < nLists; row++) {
    for (let j = 0; j < k; j++) {
      const i = recs.items[row * recs.k + j];
      if (i >= 0 && isCold[i] === 1) cold++;
    }
  }
  return cold / (nLists * k);
}
