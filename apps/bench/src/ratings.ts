import type { Dataset, Recommender } from '@musicrec/core';
import { holdoutSplit } from '@musicrec/data';
import { mae, rmse } from '@musicrec/eval';
import type { ModelEntry } from './registry';

interface RatingModel extends Recommender {
  predictPairs(users: Int32Array, items: Int32Array): Float32Array;
}

function isRatingModel(m: Recommender): m is RatingModel {
  return typeof (m as Partial<RatingModel>).predictPairs === 'function';
}

/**
 * Rating accuracy as the Funk-SVD seed measures it: per-user 75 / 12.5 / 12.5 split of the
 * play counts, fit on 75 % with early stopping on the 12.5 % validation, RMSE and MAE of
 * log1p(play count) on the 12.5 % test pairs.
 */
export async function ratingEvaluation(
  entry: ModelEntry,
  params: Record<string, unknown>,
  dataset: Dataset,
  seed: number,
): Promise<{ protocol: string; rmse: number; mae: number; testPairs: number } | { skipped: string }> {
  const v = dataset.interactions.values;
  if (v.every((x) => x === v[0])) {
    return { skipped: 'every interaction has the same weight (implicit data): there is no rating to predict' };
  }
  const split = holdoutSplit(dataset.interactions, { seed, testFraction: 0.125, validationFraction: 0.125 / 0.875 });
  const model = entry.factory.create(params);
  if (!isRatingModel(model)) throw new Error(`${entry.name} is marked as a rating model but has no predictPairs`);
  await model.fit(split.train, { seed, validation: split.validation, catalog: dataset.catalog });
  const test = split.test;
  const users = new Int32Array(test.nnz);
  for (let u = 0; u < test.nUsers; u++) users.fill(u, test.indptr[u], test.indptr[u + 1]);
  const truth = new Float32Array(test.nnz);
  for (let k = 0; k < test.nnz; k++) truth[k] = Math.log1p(test.values[k]);
  const pred = model.predictPairs(users, test.indices);
  return { protocol: 'per-user 75/12.5/12.5 holdout, log1p(play count)', rmse: rmse(pred, truth), mae: mae(pred, truth), testPairs: test.nnz };
}
