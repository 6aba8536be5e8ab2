export { PopularityRecommender } from './popularity';
export { popularityFactory } from './factory';
export { popularityDefaults, resolvePopularityConfig } from './config';
export type { PopularityConfig, PopularityWeighting } from './config';
