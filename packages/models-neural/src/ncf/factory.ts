import type { RecommenderFactory } from '@musicrec/core';
import type { NcfConfig } from './config';
import { NcfRecommender } from './ncf';

/** NCF; NeuMF by default, `variant: 'gmf' | 'mlp'` for the single branches. */
export const ncfFactory: RecommenderFactory<NcfConfig> = {
  name: 'ncf',
  create: (params) => new NcfRecommender(params),
  load: (dir) => NcfRecommender.load(dir),
};
