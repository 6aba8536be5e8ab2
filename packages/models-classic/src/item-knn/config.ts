import { ConfigError, resolveConfig } from '@musicrec/core';

/** How play counts become the values of the user × item matrix before similarities are taken. */
export type ItemKnnWeighting = 'binary' | 'log' | 'bm25' | 'none';

/**
 * Item-kNN options. With the defaults this is `implicit`'s CosineRecommender: cosine between
 * binary item columns, each item keeping its 100 most similar other items.
 */
export type ItemKnnConfig = {
  /** Neighbours kept per item (its most similar other items); 0 keeps all. */
  neighbors: number;
  /** Added to the cosine denominator: sim = x_i·x_j / (‖x_i‖‖x_j‖ + shrinkage); damps pairs with little support. */
  shrinkage: number;
  /** 'binary': 1 per interaction; 'log': log1p(value); 'bm25': implicit's bm25_weight; 'none': raw values. */
  weighting: ItemKnnWeighting;
  /** BM25 saturation K1 (used when weighting is 'bm25'). */
  bm25K1: number;
  /** BM25 length normalisation B in [0, 1] (used when weighting is 'bm25'). */
  bm25B: number;
  /** true: cosine similarity; false: raw dot products (implicit's ItemItemRecommender / BM25Recommender). */
  normalize: boolean;
};

export const itemKnnDefaults: ItemKnnConfig = {
  neighbors: 100,
  shrinkage: 0,
  weighting: 'binary',
  bm25K1: 100,
  bm25B: 0.8,
  normalize: true,
};

const WEIGHTINGS: readonly ItemKnnWeighting[] = ['binary', 'log', 'bm25', 'none'];

/** Defaults filled in; unknown keys, out-of-range values and conflicting options rejected. */
export function resolveItemKnnConfig(given: Partial<ItemKnnConfig> = {}): ItemKnnConfig {
  const c = resolveConfig('item-knn', itemKnnDefaults, given);
  if (!Number.isInteger(c.neighbors) || c.neighbors < 0) {
    throw new ConfigError(`item-knn: option "neighbors" must be an integer >= 0 (0 = all), got ${c.neighbors}`);
  }
  if (!(c.shrinkage >= 0) || !Number.isFinite(c.shrinkage)) {
    throw new ConfigError(`item-knn: option "shrinkage" must be a finite number >= 0, got ${c.shrinkage}`);
  }
  if (!WEIGHTINGS.includes(c.weighting)) {
    throw new ConfigError(`item-knn: option "weighting" must be one of ${WEIGHTINGS.join(', ')}, got ${JSON.stringify(c.weighting)}`);
  }
  if (!(c.bm25K1 >= 0) || !Number.isFinite(c.bm25K1)) {
    throw new ConfigError(`item-knn: option "bm25K1" must be a finite number >= 0, got ${c.bm25K1}`);
  }
  if (!(c.bm25B >= 0 && c.bm25B <= 1)) throw new ConfigError(`item-knn: option "bm25B" must be in [0, 1], got ${c.bm25B}`);
  // without normalisation a constant added to the denominator only rescales every score
  if (c.shrinkage > 0 && !c.normalize) {
    throw new ConfigError(`item-knn: options "shrinkage" (${c.shrinkage}) and "normalize" (false) conflict: shrinkage only applies to cosine`);
  }
  return c;
}
