import {
  DataError,
  ModelFitError,
  Rng,
  float32ArrayOf,
  loadModelDir,
  saveModelDir,
  type FitContext,
  type Interactions,
  type Recommender,
} from '@musicrec/core';
import { REFITTABLE, SIMILAR_ITEMS, factorSimilarItems, type Refittable, type SimilarItems, type TopKResult } from '@musicrec/core';
import { COLD_START_SCORER, type ColdStartScorer } from '@musicrec/core';
import { ONNX_EXPORTABLE, DISPOSABLE } from '@musicrec/core';
import type { OnnxExportable, Disposable } from '@musicrec/core';
import { buildItemContent, resolveItemContentConfig } from '../content';
import { exportDotProductScorer, exportItemEncoder } from '../onnx';
import { fitSummary, trainModel, type NeuralFitSummary } from '../training';
import { resolveTwoTowerConfig, type TwoTowerConfig } from './config';
import { basketMean, factorScores, l2NormalizeRows, scoreRow, type DenseWeights } from './dense-math';
import { TwoTowerNetwork, contentItemFactors, userFactorsOf } from './network';
import { pairBatches, type PairBatch } from './pair-batches';
import { useBackend } from '../backend';
import { TfFactorScoring } from '../serving';

/** What the last fit did, for the report row. */
type TwoTowerFitInfo = NeuralFitSummary & { contentColumns: number };

/**
 * Two-Tower retrieval model: user tower = user id embedding (+ mean of the user's item id
 * embeddings), item tower = item id embedding + MLP(item content), both L2-normalised,
 * trained with an in-batch sampled softmax (temperature, logQ correction) through the shared
 * training loop. Scores are cosines of the stored factors, so retrieval can index
 * `userFactors` / `itemFactors` directly; an item nobody played still gets its content
 * embedding (`itemEmbeddingFromContent`).
 */
export class TwoTowerRecommender implements Recommender, OnnxExportable, Disposable, Refittable, ColdStartScorer, SimilarItems {
  readonly name = 'two-tower';
  readonly [SIMILAR_ITEMS] = true as const;
  readonly [COLD_START_SCORER] = true as const;
  readonly [REFITTABLE] = true as const;
  readonly [ONNX_EXPORTABLE] = true as const;
  readonly [DISPOSABLE] = true as const;
  readonly params: TwoTowerConfig;
  /** nUsers × dim, unit rows. */
  userFactors: Float32Array = new Float32Array(0);
  /** nItems × dim, unit rows. */
  itemFactors: Float32Array = new Float32Array(0);
  private contentLayers: DenseWeights[] = [];
  private fitInfo: TwoTowerFitInfo | null = null;
  /** TF.js inference over the factor tables (the bench's TF.js latency row; ONNX is the other). */
  private readonly tfScoring = new TfFactorScoring();

  constructor(params: Partial<TwoTowerConfig> = {}) {
    this.params = resolveTwoTowerConfig(params);
  }

  get nUsers(): number {
    return this.userFactors.length / this.params.dim;
  }

  get nItems(): number {
    return this.itemFactors.length / this.params.dim;
  }

  /** Size of a content row `itemEmbeddingFromContent` expects. */
  get contentDim(): number {
    return this.contentLayers.length > 0 ? this.contentLayers[0].weight.length / this.contentLayers[0].bias.length : 0;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const c = this.params;
    if (train.nnz === 0) throw new ModelFitError('two-tower: the training matrix has no interactions');
    const backend = await useBackend(c.backend);
    const content = buildItemContent(ctx.catalog, train.nItems, resolveItemContentConfig({ tagWidth: c.tagWidth }));
    const root = new Rng(ctx.seed);
    const network = new TwoTowerNetwork(
      { nUsers: train.nUsers, nItems: train.nItems, contentDim: content.dim },
      content.values,
      c.logQCorrection ? itemFrequency(train) : null,
      c,
      root.fork('init'),
    );
    try {
      const refresh = (): void => this.takeWeights(network, train);
      const result = await trainModel({
        model: { variables: network.variables, loss: (batch) => network.loss(batch as PairBatch) },
        batches: (epoch) => pairBatches(train, c.batchSize, c.historyLength, root.fork(`epoch-${epoch}`)),
        batchExamples: (batch) => (batch as PairBatch).users.length,
        validate: ctx.validate ? () => (refresh(), ctx.validate!(this)) : undefined,
        config: { ...c, seed: ctx.seed },
        onProgress: ctx.onProgress,
        label: this.name,
      });
      refresh();
      this.fitInfo = { ...fitSummary(backend, result), contentColumns: content.dim };
    } finally {
      network.dispose();
    }
    for (const [name, a] of [['userFactors', this.userFactors], ['itemFactors', this.itemFactors]] as const) {
      if (!a.every(Number.isFinite)) throw new ModelFitError(`two-tower: ${name} hold non-finite values after training; lower learningRate (${c.learningRate})`);
    }
  }

  private takeWeights(network: TwoTowerNetwork, train: Interactions): void {
    const w = network.weights();
    this.itemFactors = network.allItemFactors();
    this.userFactors = userFactorsOf(w, train, this.params.dim, this.params.historyLength > 0);
    this.contentLayers = w.contentLayers;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('two-tower: scoreUsers called before fit or load');
    return this.tfScoring.score(this.userFactors, this.itemFactors, this.params.dim, users, out ?? new Float32Array(users.length * this.nItems), this.name);
  }

  /** Releases the TF.js tensors that serve scoreUsers. */
  dispose(): void {
    this.tfScoring.dispose();
  }

  /**
   * Cold user: scores of every item for someone who liked `likedItems`, from the normalised
   * weighted mean of those items' embeddings (the user tower's history path is not used here: its id
   * embeddings are trained next to a user embedding that a cold user lacks).
   */
  scoreFromItems(likedItems: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('two-tower: scoreFromItems called before fit or load');
    const d = this.params.dim;
    const user = basketMean(this.itemFactors, d, likedItems, weights, this.name);
    l2NormalizeRows(user, d);
    return factorScores(user, this.itemFactors, d, Int32Array.of(0), scoreRow(out, this.nItems, this.name), this.name);
  }

  /** Unit item embeddings from content rows (n × contentDim, as built by content/): the item tower without an id embedding. */
  itemEmbeddingFromContent(content: Float32Array, n: number): Float32Array {
    if (this.contentLayers.length === 0) throw new ModelFitError('two-tower: itemEmbeddingFromContent called before fit or load');
    return contentItemFactors(this.contentLayers, content, n);
  }

  /** ONNX scorer: `user` int64 [batch] → `scores` [batch, nItems], the same cosines as scoreUsers. */
  toOnnx(): Uint8Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('two-tower: toOnnx called before fit or load');
    return exportDotProductScorer({ userEmbedding: this.userFactors, itemEmbedding: this.itemFactors, dim: this.params.dim }, { producer: 'musicrec two-tower' });
  }

  /** ONNX item tower for cold items: `features` [n, contentDim] → unit `embedding` [n, dim]. */
  itemEncoderToOnnx(): Uint8Array {
    if (this.contentLayers.length === 0) throw new ModelFitError('two-tower: itemEncoderToOnnx called before fit or load');
    const last = this.contentLayers.length - 1;
    return exportItemEncoder({
      featureDim: this.contentDim,
      stages: this.contentLayers.map((l, k) => ({ dense: { weight: l.weight, bias: l.bias, activation: k < last ? 'relu' : 'linear' } })),
    });
  }

  /** The k items whose (unit) item-tower embeddings have the largest cosine with `item`'s, best first, the item itself left out. */
  similarItems(item: number, k: number): TopKResult {
    if (this.itemFactors.length === 0) throw new ModelFitError('two-tower: similarItems called before fit or load');
    return factorSimilarItems(this.itemFactors, this.params.dim, item, k);
  }

  /** The epoch early stopping kept on validation; `{}` when the last fit validated nothing. */
  refitParams(): Record<string, unknown> {
    return this.fitInfo && this.fitInfo.bestValidationNdcg !== null ? { epochs: this.fitInfo.bestEpoch } : {};
  }

  describe(): Record<string, unknown> {
    return { ...this.fitInfo };
  }

  async save(dir: string): Promise<void> {
    const arrays: Record<string, Float32Array> = {
      userFactors: this.userFactors,
      itemFactors: this.itemFactors,
    };
    this.contentLayers.forEach((l, k) => {
      arrays[`contentWeight${k}`] = l.weight;
      arrays[`contentBias${k}`] = l.bias;
    });
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nUsers: this.nUsers, nItems: this.nItems, contentDim: this.contentDim, fit: this.fitInfo },
      arrays,
    );
  }

  static async load(dir: string): Promise<TwoTowerRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'two-tower') throw new DataError(`expected a saved "two-tower" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    const model = new TwoTowerRecommender(meta.params as Partial<TwoTowerConfig>);
    // a fresh process has no TF.js backend yet; one saved on a GPU machine falls back to what runs here
    await useBackend(model.params.backend, { fallback: true });
    const { dim, contentHidden } = model.params;
    const nUsers = meta.nUsers as number;
    const nItems = meta.nItems as number;
    const contentDim = meta.contentDim as number;
    model.userFactors = float32ArrayOf(arrays, 'userFactors', nUsers * dim, dir);
    model.itemFactors = float32ArrayOf(arrays, 'itemFactors', nItems * dim, dir);
    const sizes = contentHidden > 0 ? [contentDim, contentHidden, dim] : [contentDim, dim];
    model.contentLayers = sizes.slice(1).map((out, k) => ({
      weight: float32ArrayOf(arrays, `contentWeight${k}`, sizes[k] * out, dir),
      bias: float32ArrayOf(arrays, `contentBias${k}`, out, dir),
    }));
    model.fitInfo = (meta.fit as TwoTowerFitInfo | null) ?? null;
    return model;
  }
}

/** Share of the training pairs each item has: the in-batch sampling probability of logQ. */
function itemFrequency(train: Interactions): Float32Array {
  const counts = train.itemCounts();
  const out = new Float32Array(train.nItems);
  for (let i = 0; i < out.length; i++) out[i] = counts[i] / train.nnz;
  return out;
}
