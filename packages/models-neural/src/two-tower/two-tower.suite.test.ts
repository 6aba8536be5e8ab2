import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { twoTowerFactory } from './factory';
import { twoTowerTestConfig } from './test-config';
import { TwoTowerRecommender } from './two-tower';

describeRecommender('two-tower', () => new TwoTowerRecommender(twoTowerTestConfig), {
  factory: twoTowerFactory,
  scoreTolerance: 1e-6,
  // a third of the kit's default matrix keeps the optimiser steps (and the file) short
  learnData: () => clusteredInteractions({ nUsers: 120, nItems: 80, itemsPerUser: 15 }),
});
