import type { RecommenderFactory } from '@musicrec/core';
import type { EaseConfig } from './config';
import { EaseRecommender } from './ease';

export const easeFactory: RecommenderFactory<EaseConfig> = {
  name: 'ease',
  create: (params) => new EaseRecommender(params),
  load: (dir) => EaseRecommender.load(dir),
};
