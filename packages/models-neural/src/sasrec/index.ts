export { SasRecRecommender } from './sasrec';
export type { SequenceFitContext, SasRecFitSummary } from './sasrec';
export { sasRecFactory } from './factory';
export { sasRecDefaults, resolveSasRecConfig } from './config';
export type { SasRecConfig, SasRecBackend, SasRecLoss } from './config';
export { SasRecNetwork } from './network';
export type { SasRecShape, SasRecBatch } from './network';
export { nextItemNdcg } from './next-item-ndcg';
export { sasRecOnnxGraph, SASREC_ONNX_INPUT } from './onnx-export';
