export { mmrRerank } from './mmr-rerank';
export { MmrRecommender, mmrFactory } from './mmr-recommender';
export type { ItemVectors, ItemVectorSource } from './mmr-recommender';
export { mmrDefaults, resolveMmrConfig } from './config';
export type { MmrConfig } from './config';
