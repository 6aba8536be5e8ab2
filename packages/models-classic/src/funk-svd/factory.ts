import type { RecommenderFactory } from '@musicrec/core';
import type { FunkSvdConfig } from './config';
import { FunkSvdRecommender } from './funk-svd';

export const funkSvdFactory: RecommenderFactory<FunkSvdConfig> = {
  name: 'funk-svd',
  create: (params) => new FunkSvdRecommender(params),
  load: (dir) => FunkSvdRecommender.load(dir),
};
