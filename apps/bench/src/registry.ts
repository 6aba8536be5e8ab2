import { ConfigError, isOnnxExportable } from '@musicrec/core';
import type { Dataset, Recommender, RecommenderFactory } from '@musicrec/core';
import type { SearchSpace } from '@musicrec/eval';
import type { AnnConfig } from '@musicrec/retrieval';
import {
  bprFactory,
  bprSearchSpace,
  contentKnnFactory,
  easeFactory,
  easeSearchSpace,
  funkSvdFactory,
  funkSvdSearchSpace,
  ialsFactory,
  ialsSearchSpace,
  itemKnnFactory,
  ensembleFactory,
  popularityFactory,
  rfRankerFactory,
  twoStageFactory,
  twoStageSearchSpace,
} from '@musicrec/models-classic';
import { hybridDeepFactory, ncfFactory, sasRecFactory, twoTowerFactory } from '@musicrec/models-neural';

/**
 * One leaderboard row's recipe. Adding a model to the bench = one entry here.
 * `params` are fixed settings of this row; `searchSpace` is tuned on the validation fold.
 */
export interface ModelEntry {
  /** Row name in the leaderboard (unique). */
  name: string;
  factory: RecommenderFactory;
  params?: Record<string, unknown>;
  /**
   * Settings that differ per dataset (by `Dataset.name`), laid over `params`: e.g. a hybrid's
   * CF member takes the iALS settings tuned on that dataset, which differ between Last.fm
   * play histories and Spotify playlists.
   */
  paramsByDataset?: Readonly<Record<string, Record<string, unknown>>>;
  searchSpace?: SearchSpace;
  /** Cap on tuning trials for this row (slow models), below the bench's --tune-budget. */
  maxTrials?: number;
  /** Train on the dataset's weights (play counts) instead of binary interactions. */
  usesWeights?: boolean;
  /**
   * Fit once on train → validation even without a search space: models that choose something on
   * validation (early stopping, ensemble weights). What they chose comes back through the model
   * (`Refittable.refitParams()`) and is laid over the params of the refit on train ∪ validation,
   * where no validation fold is left.
   */
  validationFit?: boolean;
  /**
   * false: evaluate the model fitted on the train fold and early-stopped on validation instead
   * of refitting it on train ∪ validation (neural rows, whose refit would double a CPU budget;
   * the test ranking still excludes train ∪ validation, so the row can only be disadvantaged).
   */
  refit?: boolean;
  /** Also a rating model: report RMSE/MAE on held-out log1p weights (75/12.5/12.5 split). */
  ratingModel?: boolean;
  /**
   * Leaderboards this row runs in: 'holdout' (the dataset's main report, the default) and/or
   * 'sequences' (next-item, leave-last-out over the dataset's time-ordered sequences, written
   * as `<dataset>-sequential`).
   */
  protocols?: readonly ('holdout' | 'sequences')[];
  /** Why this row does not apply to a dataset (the bench skips it and says so); null when it does. */
  skipReason?: (dataset: Dataset) => string | null;
  /** Also serve the trained model through its ONNX export (`OnnxExportable`): adds a `<name>-onnx` row (same model, onnxruntime inference). */
  onnxRow?: boolean;
  /** Also serve the trained model through HNSW (`AnnRecommender`, these settings): adds a `<name>-hnsw` row (same model, `inference: 'hnsw'`). */
  hnswRow?: Partial<AnnConfig>;
  /** Overrides for `bench:quick` (small settings so the whole quick bench stays under a minute). */
  quickParams?: Record<string, unknown>;
}

/**
 * iALS settings the hybrids' CF members use per dataset: the ials row's tuned choice on each
 * (benchmarks/reports: Last.fm 128 f / α 10 / λ 50, Spotify 128 f / α 40 / λ 10).
 */
const LASTFM_IALS = { factors: 128, alpha: 10, regularization: 50 };
const SPOTIFY_IALS = { factors: 128, alpha: 40, regularization: 10 };

export const MODEL_REGISTRY: readonly ModelEntry[] = [
  { name: 'popularity', factory: popularityFactory, protocols: ['holdout', 'sequences'] },
  { name: 'item-knn', factory: itemKnnFactory, params: { neighbors: 100 }, protocols: ['holdout', 'sequences'] },
  { name: 'item-knn-all', factory: itemKnnFactory, params: { neighbors: 0 } },
  { name: 'item-knn-bm25', factory: itemKnnFactory, params: { neighbors: 100, weighting: 'bm25' }, usesWeights: true },
  {
    name: 'ials',
    factory: ialsFactory,
    searchSpace: ialsSearchSpace,
    validationFit: true,
    quickParams: { iterations: 8, factors: 32 },
    // the Last.fm operating point of benchmarks/reports/hnsw-tradeoff.md (recall@10 .984); candidates = the bench's largest K
    hnswRow: { efSearch: 10, candidates: 20 },
  },
  { name: 'content-knn', factory: contentKnnFactory },
  // audio features alone: what the artist block adds on Spotify (Last.fm content is tags either way)
  {
    name: 'content-knn-audio',
    factory: contentKnnFactory,
    params: { source: 'audio' },
    skipReason: (d) => (d.catalog.audio ? null : `${d.name} has no per-item audio features`),
  },
  { name: 'ease', factory: easeFactory, searchSpace: easeSearchSpace },
  {
    name: 'bpr',
    factory: bprFactory,
    searchSpace: bprSearchSpace,
    validationFit: true,
    maxTrials: 4,
    quickParams: { epochs: 30 },
  },
  {
    name: 'funk-svd',
    factory: funkSvdFactory,
    searchSpace: funkSvdSearchSpace,
    usesWeights: true,
    ratingModel: true,
    validationFit: true,
    quickParams: { epochs: 20 },
  },
  {
    // two-level stacking over iALS candidates (see rf-ranker/README); fixed settings, no search:
    // each fit is three model fits plus the forest
    name: 'rf-ranker',
    factory: rfRankerFactory,
    params: { base: 'ials', baseParams: { ...LASTFM_IALS, iterations: 15, validateEvery: 0 } },
    paramsByDataset: { 'spotify-playlists': { baseParams: { ...SPOTIFY_IALS, iterations: 11, validateEvery: 0 } } },
    quickParams: { baseParams: { factors: 32, iterations: 8, validateEvery: 0 }, trees: 20, candidates: 30 },
  },
  {
    name: 'rf-ranker-knn',
    factory: rfRankerFactory,
    params: { base: 'item-knn', baseParams: { neighbors: 100 } },
    quickParams: { trees: 20, candidates: 30 },
  },
  {
    // weights per history bucket tuned on validation during the tuning fit, carried into the refit
    name: 'ensemble',
    factory: ensembleFactory,
    params: { cfParams: LASTFM_IALS },
    paramsByDataset: { 'spotify-playlists': { cfParams: SPOTIFY_IALS } },
    validationFit: true,
    quickParams: { cfParams: { factors: 32, iterations: 8 }, simulatedUsers: 100 },
  },
  {
    name: 'two-stage',
    factory: twoStageFactory,
    params: { cfParams: LASTFM_IALS },
    paramsByDataset: { 'spotify-playlists': { cfParams: SPOTIFY_IALS } },
    searchSpace: twoStageSearchSpace,
    maxTrials: 3,
    quickParams: { cfParams: { factors: 32, iterations: 8 }, candidates: 200 },
  },
  // Neural rows: CPU budget in the params (epochs cap; early stopping on validation NDCG@10 ends
  // sooner), evaluated as early-stopped on validation (refit: false) to keep the whole neural
  // block within ~15 minutes on 2 cores.
  {
    name: 'ncf',
    factory: ncfFactory,
    params: { variant: 'neumf', epochs: 8 },
    validationFit: true,
    refit: false,
    quickParams: { epochs: 2, factors: 16, mlpLayers: [32, 16, 8] },
    onnxRow: true,
  },
  {
    name: 'two-tower',
    factory: twoTowerFactory,
    params: { epochs: 6 },
    validationFit: true,
    refit: false,
    quickParams: { epochs: 2, dim: 32, batchSize: 256 },
    onnxRow: true,
  },
  {
    // ListNet + intra-list-similarity penalty; the -no-ils row is the same model with the penalty off
    name: 'hybrid-deep',
    factory: hybridDeepFactory,
    params: {},
    validationFit: true,
    refit: false,
    quickParams: { epochs: 2, hidden: 32 },
    onnxRow: true,
  },
  {
    name: 'hybrid-deep-no-ils',
    factory: hybridDeepFactory,
    params: { ilsWeight: 0 },
    validationFit: true,
    refit: false,
    quickParams: { epochs: 2, hidden: 32 },
  },
  {
    name: 'sasrec',
    factory: sasRecFactory,
    // lr 5e-3 (1e-3 is the paper's for hundreds of epochs; here ~70 steps an epoch), validation
    // on 500 sampled users, the other users' validation events trained on (never a test event)
    params: { loss: 'sampled-softmax', epochs: 8, learningRate: 0.005, l2: 0.05, validationUsers: 500, trainOnUnsampledValidation: true },
    protocols: ['sequences'],
    onnxRow: true,
    quickParams: { epochs: 2, factors: 32, maxLen: 20 },
  },
];

/** The entry's fixed params on `datasetName` (`params`, then `paramsByDataset[datasetName]` over them). */
export function entryParams(entry: ModelEntry, datasetName: string): Record<string, unknown> {
  return { ...(entry.params ?? {}), ...(entry.paramsByDataset?.[datasetName] ?? {}) };
}

/** The ONNX graph of a model that declares `OnnxExportable`; a ConfigError for one that does not. */
export function onnxExport(model: Recommender): Uint8Array {
  if (!isOnnxExportable(model)) throw new ConfigError(`${model.name} does not export to ONNX (not OnnxExportable), so it cannot have an -onnx row`);
  return model.toOnnx();
}

export function runsIn(entry: ModelEntry, protocol: 'holdout' | 'sequences'): boolean {
  return (entry.protocols ?? ['holdout']).includes(protocol);
}

export function findModel(name: string): ModelEntry {
  const entry = MODEL_REGISTRY.find((m) => m.name === name);
  if (!entry) {
    throw new Error(`unknown model "${name}"; registered: ${MODEL_REGISTRY.map((m) => m.name).join(', ')}`);
  }
  return entry;
}
