export { ItemKnnRecommender } from './item-knn';
export { itemKnnFactory } from './factory';
export { itemKnnDefaults, resolveItemKnnConfig } from './config';
export type { ItemKnnConfig, ItemKnnWeighting } from './config';
export { itemSimilarity } from './similarity';
export type { ItemSimilarity, ItemSimilarityOptions } from './similarity';
export { bm25Weight, weightInteractions } from './weighting';
