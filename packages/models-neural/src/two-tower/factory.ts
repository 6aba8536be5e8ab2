import type { RecommenderFactory } from '@musicrec/core';
import type { TwoTowerConfig } from './config';
import { TwoTowerRecommender } from './two-tower';

export const twoTowerFactory: RecommenderFactory<TwoTowerConfig> = {
  name: 'two-tower',
  create: (params) => new TwoTowerRecommender(params),
  load: (dir) => TwoTowerRecommender.load(dir),
};
