import type { HybridDeepConfig } from './config';

/** Tiny and quick for unit tests. */
export const hybridDeepTestConfig: Partial<HybridDeepConfig> = {
  dim: 16,
  hidden: 16,
  blocks: 1,
  dropout: 0.1,
  listSize: 4,
  negatives: 6,
  batchSize: 64,
  epochs: 15,
  learningRate: 0.02,
  backend: 'wasm',
};
