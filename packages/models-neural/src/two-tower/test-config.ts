import type { TwoTowerConfig } from './config';

/** Tiny and quick for unit tests: a few hundred optimiser steps on the test matrices. */
export const twoTowerTestConfig: Partial<TwoTowerConfig> = {
  dim: 16,
  contentHidden: 16,
  historyLength: 4,
  batchSize: 64,
  epochs: 15,
  learningRate: 0.05,
  temperature: 0.1,
  backend: 'wasm',
};
