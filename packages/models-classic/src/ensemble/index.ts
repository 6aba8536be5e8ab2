export { AdaptiveEnsemble } from './ensemble';
export type { EnsembleExplanation, EnsembleDetails } from './ensemble';
export { ensembleFactory } from './factory';
export { ensembleDefaults, untunedWeights, resolveEnsembleConfig, historyBucket, BUCKETS, MEMBERS } from './config';
export type { EnsembleConfig, BucketWeights, EnsembleBucket, EnsembleMember } from './config';
export { zScoreInto, blendInto } from './blend';
export { simplexGrid } from './simplex-grid';
export { cfMemberFactory, CF_MEMBER_NAMES } from './member-factories';
