import type { RecommenderFactory } from '@musicrec/core';
import type { TwoStageConfig } from './config';
import { TwoStageRecommender } from './two-stage';

export const twoStageFactory: RecommenderFactory<TwoStageConfig> = {
  name: 'two-stage',
  create: (params) => new TwoStageRecommender(params),
  load: (dir) => TwoStageRecommender.load(dir),
};
