import type { RecommenderFactory } from '@musicrec/core';
import type { HybridDeepConfig } from './config';
import { HybridDeepRecommender } from './hybrid-deep';

export const hybridDeepFactory: RecommenderFactory<HybridDeepConfig> = {
  name: 'hybrid-deep',
  create: (params) => new HybridDeepRecommender(params),
  load: (dir) => HybridDeepRecommender.load(dir),
};
