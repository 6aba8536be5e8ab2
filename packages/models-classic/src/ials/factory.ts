import type { RecommenderFactory } from '@musicrec/core';
import { ImplicitALS } from './ials';
import type { IalsConfig } from './config';

export const ialsFactory: RecommenderFactory<IalsConfig> = {
  name: 'ials',
  create: (params) => new ImplicitALS(params),
  load: (dir) => ImplicitALS.load(dir),
};
