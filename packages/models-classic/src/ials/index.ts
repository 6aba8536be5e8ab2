export { ImplicitALS } from './ials';
export { ialsFactory } from './factory';
export { ialsDefaults, ialsSearchSpace, resolveIalsConfig } from './config';
export type { IalsConfig, IalsSolver, IalsWeighting } from './config';
export { bm25Weights, BM25_K1, BM25_B } from './confidence';
export { FactorTopK, factorTopK } from './factor-topk';
export type { FactorTopKOptions } from './factor-topk';
