export { TwoStageRecommender } from './two-stage';
export type { TwoStageExplanation, TwoStageDetails } from './two-stage';
export { twoStageFactory } from './factory';
export { twoStageDefaults, twoStageSearchSpace, resolveTwoStageConfig } from './config';
export type { TwoStageConfig } from './config';
export { rerankCandidates, rerankScratch } from './rerank';
export type { RerankScratch } from './rerank';
