import type { RecommenderFactory } from '@musicrec/core';
import type { RfRankerConfig } from './config';
import { RfRankerRecommender } from './rf-ranker';

export const rfRankerFactory: RecommenderFactory<RfRankerConfig> = {
  name: 'rf-ranker',
  create: (params) => new RfRankerRecommender(params),
  load: (dir) => RfRankerRecommender.load(dir),
};
