import type { RecommenderFactory } from '@musicrec/core';
import type { SasRecConfig } from './config';
import { SasRecRecommender } from './sasrec';

export const sasRecFactory: RecommenderFactory<SasRecConfig> = {
  name: 'sasrec',
  create: (params) => new SasRecRecommender(params),
  load: (dir) => SasRecRecommender.load(dir),
};
