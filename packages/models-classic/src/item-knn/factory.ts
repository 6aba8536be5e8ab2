import type { RecommenderFactory } from '@musicrec/core';
import type { ItemKnnConfig } from './config';
import { ItemKnnRecommender } from './item-knn';

export const itemKnnFactory: RecommenderFactory<ItemKnnConfig> = {
  name: 'item-knn',
  create: (params) => new ItemKnnRecommender(params),
  load: (dir) => ItemKnnRecommender.load(dir),
};
