import type { RecommenderFactory } from '@musicrec/core';
import type { EnsembleConfig } from './config';
import { AdaptiveEnsemble } from './ensemble';

export const ensembleFactory: RecommenderFactory<EnsembleConfig> = {
  name: 'ensemble',
  create: (params) => new AdaptiveEnsemble(params),
  load: (dir) => AdaptiveEnsemble.load(dir),
};
