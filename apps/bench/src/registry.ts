import type { RecommenderFactory } from '@musicrec/core';
import type { SearchSpace } from '@musicrec/eval';
import { itemKnnFactory, popularityFactory } from '@musicrec/models-classic';

/**
 * One leaderboard row's recipe. Adding a model to the bench = one entry here.
 * `params` are fixed settings of this row; `searchSpace` is tuned on the validation fold.
 */
export interface ModelEntry {
  /** Row name in the leaderboard (unique). */
  name: string;
  factory: RecommenderFactory;
  params?: Record<string, unknown>;
  searchSpace?: SearchSpace;
  /** Train on the dataset's weights (play counts) instead of binary interactions. */
  usesWeights?: boolean;
  /** Overrides for `bench:quick` (small settings so the whole quick bench stays under a minute). */
  quickParams?: Record<string, unknown>;
}

export const MODEL_REGISTRY: readonly ModelEntry[] = [
  { name: 'popularity', factory: popularityFactory },
  { name: 'item-knn', factory: itemKnnFactory, params: { neighbors: 100 } },
  { name: 'item-knn-all', factory: itemKnnFactory, params: { neighbors: 0 } },
  { name: 'item-knn-bm25', factory: itemKnnFactory, params: { neighbors: 100, weighting: 'bm25' }, usesWeights: true },
];

export function findModel(name: string): ModelEntry {
  const entry = MODEL_REGISTRY.find((m) => m.name === name);
  if (!entry) {
    throw new Error(`unknown model "${name}"; registered: ${MODEL_REGISTRY.map((m) => m.name).join(', ')}`);
  }
  return entry;
}
