export { EaseRecommender } from './ease';
export { easeFactory } from './factory';
export { easeDefaults, easeSearchSpace, resolveEaseConfig } from './config';
export type { EaseConfig, EaseSolver, EaseTailFallback } from './config';
export { primalEaseWeights, dualEaseWeights } from './ease-weights';
export type { EaseWeights, EaseSolverKind } from './ease-weights';
export { choleskyInPlace } from './blocked-cholesky';
export { invertSpdInPlace } from './spd-inverse';
