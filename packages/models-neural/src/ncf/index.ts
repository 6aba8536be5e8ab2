export { NcfRecommender } from './ncf';
export { ncfFactory } from './factory';
export { ncfDefaults, ncfSearchSpace, resolveNcfConfig } from './config';
export type { NcfConfig, NcfVariant } from './config';
export { NcfNetwork } from './network';
export type { NcfInferenceWeights, NcfDenseLayer, NcfShape } from './network';
