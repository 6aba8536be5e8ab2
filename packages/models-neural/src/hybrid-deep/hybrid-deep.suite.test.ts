import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { hybridDeepFactory } from './factory';
import { HybridDeepRecommender } from './hybrid-deep';
import { hybridDeepTestConfig } from './test-config';

describeRecommender('hybrid-deep', () => new HybridDeepRecommender(hybridDeepTestConfig), {
  factory: hybridDeepFactory,
  scoreTolerance: 1e-6,
  // a third of the kit's default matrix keeps the optimiser steps (and the file) short
  learnData: () => clusteredInteractions({ nUsers: 120, nItems: 80, itemsPerUser: 15 }),
});
