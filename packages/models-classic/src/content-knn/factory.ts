import type { RecommenderFactory } from '@musicrec/core';
import type { ContentKnnConfig } from './config';
import { ContentKnnRecommender } from './content-knn';

export const contentKnnFactory: RecommenderFactory<ContentKnnConfig> = {
  name: 'content-knn',
  create: (params) => new ContentKnnRecommender(params),
  load: (dir) => ContentKnnRecommender.load(dir),
};
