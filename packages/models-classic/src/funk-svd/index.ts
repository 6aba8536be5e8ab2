export { FunkSvdRecommender } from './funk-svd';
export { funkSvdFactory } from './factory';
export { funkSvdDefaults, funkSvdSearchSpace, resolveFunkSvdConfig } from './config';
export type { FunkSvdConfig, FunkSvdTransform } from './config';
export { funkSvdStep } from './funk-svd-step';
export type { FunkSvdStepParams } from './funk-svd-step';
