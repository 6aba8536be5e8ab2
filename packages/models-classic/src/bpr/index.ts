export { BprRecommender } from './bpr';
export { bprFactory } from './factory';
export { bprDefaults, bprSearchSpace, resolveBprConfig } from './config';
export type { BprConfig, BprSampling } from './config';
export { bprStep } from './bpr-step';
export type { BprStepParams } from './bpr-step';
export { AliasSampler } from './alias-sampler';
