export { MusicrecError, DataError, ConfigError, DatasetNotFoundError, ModelFitError } from './errors';
export type { DataErrorLocation } from './errors';
export { Rng } from './rng';
export { Interactions, IdIndex } from './interactions';
export type { Catalog, AudioFeatures, ItemTags } from './catalog';
export type { Dataset, LoadReport, Sequences } from './dataset';
export { emptyLoadReport } from './dataset';
export type { Split, ProtocolName } from './split';
export { topK } from './topk';
export { recommendTopK, range } from './recommender';
export type { Recommender, RecommenderFactory, FitContext, TopKResult, RecommendOptions } from './recommender';
export { saveModelDir, loadModelDir, float32ArrayOf, MODEL_FILE } from './persist';
export type { StoredArray } from './persist';
export { resolveConfig } from './config';
export type { ProgressEvent, ProgressListener } from './progress';
export { silentProgress } from './progress';
export { WorkerPool, serveWorkerTasks, partitionByCost } from './workers';
export type { WorkerPoolOptions } from './workers';
export { isColdStartScorer, recommendFromLiked, type ColdStartScorer, type RecommendFromLikedOptions } from './cold-start';
export { containsSorted } from './sorted';
export {
  COLD_START_SCORER,
  SIMILAR_ITEMS,
  EXPLAINER,
  ONNX_EXPORTABLE,
  SEQUENCE_RECOMMENDER,
  DISPOSABLE,
  REFITTABLE,
  FACTOR_FOLD_IN,
  isFactorFoldIn,
  isSimilarItems,
  isExplainer,
  isOnnxExportable,
  isSequenceRecommender,
  isDisposable,
  isRefittable,
} from './abilities';
export type { SimilarItems, Explainer, Explanation, LikedNeighbor, OnnxExportable, SequenceRecommender, Disposable, Refittable, FactorFoldIn } from './abilities';
export { factorSimilarItems, rowNorms } from './factor-similar-items';
