import type { RecommenderFactory } from '@musicrec/core';
import { BprRecommender } from './bpr';
import type { BprConfig } from './config';

export const bprFactory: RecommenderFactory<BprConfig> = {
  name: 'bpr',
  create: (params) => new BprRecommender(params),
  load: (dir) => BprRecommender.load(dir),
};
