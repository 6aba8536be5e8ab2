import type { RecommenderFactory } from '@musicrec/core';
import type { PopularityConfig } from './config';
import { PopularityRecommender } from './popularity';

export const popularityFactory: RecommenderFactory<PopularityConfig> = {
  name: 'popularity',
  create: (params) => new PopularityRecommender(params),
  load: (dir) => PopularityRecommender.load(dir),
};
