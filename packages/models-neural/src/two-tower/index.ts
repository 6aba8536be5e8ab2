export { TwoTowerRecommender } from './two-tower';
export { twoTowerFactory } from './factory';
export { twoTowerDefaults, twoTowerSearchSpace, resolveTwoTowerConfig } from './config';
export type { TwoTowerConfig } from './config';
export { TwoTowerNetwork } from './network';
export type { TwoTowerWeights, TwoTowerShape } from './network';
export { pairBatches } from './pair-batches';
export type { PairBatch } from './pair-batches';
