export { HybridDeepRecommender } from './hybrid-deep';
export { hybridDeepFactory } from './factory';
export { hybridDeepDefaults, hybridDeepSearchSpace, resolveHybridDeepConfig } from './config';
export type { HybridDeepConfig } from './config';
export { HybridDeepNetwork } from './network';
export type { HybridDeepTower } from './network';
export { listNetLoss, ilsPenalty } from './listwise-loss';
export { listBatches } from './list-batches';
export type { ListBatch } from './list-batches';
