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
  type StoredArray,
} from '@musicrec/core';
import { REFITTABLE, type Refittable } from '@musicrec/core';
import { COLD_START_SCORER, type ColdStartScorer } from '@musicrec/core';
import { ONNX_EXPORTABLE, DISPOSABLE } from '@musicrec/core';
import type { OnnxExportable, Disposable } from '@musicrec/core';
import { buildItemContent, resolveItemContentConfig } from '../content';
import { exportDotProductScorer, exportItemEncoder } from '../onnx';
import { fitSummary, trainModel, type NeuralFitSummary } from '../training';
import { basketMean, factorScores, scoreRow } from '../two-tower/dense-math';
import { useBackend } from '../backend';
import { TfFactorScoring } from '../serving';
import { resolveHybridDeepConfig, type HybridDeepConfig } from './config';
import { listBatches, type ListBatch } from './list-batches';
import { BATCH_NORM_EPSILON, HybridDeepNetwork, type HybridDeepTower } from './network';

type HybridDeepFitInfo = NeuralFitSummary & { contentColumns: number };

/**
 * HybridDeep: a user embedding scored against a deep content tower over the item's audio,
 * genre, release age and tags (residual blocks with BatchNorm and dropout), plus an item id
 * embedding and bias; trained with ListNet and an intra-list-similarity penalty that pushes
 * the top of each predicted list towards dissimilar content. The score is factorised
 * (user · item + bias), so `userFactors` = [embedding, 1] and `itemFactors` = [vector, bias]
 * (dim + 1 columns) reproduce it as one dot product for retrieval and ONNX. Items without
 * training interactions are scored from their content plus the warm items' mean id
 * embedding and bias (coldItemOffsets), so item cold start neither floods nor hides them.
 */
export class HybridDeepRecommender implements Recommender, OnnxExportable, Disposable, Refittable, ColdStartScorer {
  readonly name = 'hybrid-deep';
  readonly [COLD_START_SCORER] = true as const;
  readonly [REFITTABLE] = true as const;
  readonly [ONNX_EXPORTABLE] = true as const;
  readonly [DISPOSABLE] = true as const;
  readonly params: HybridDeepConfig;
  /** nUsers × (dim + 1): the user embedding and a trailing 1. */
  userFactors: Float32Array = new Float32Array(0);
  /** nItems × (dim + 1): the item vector and its bias. */
  itemFactors: Float32Array = new Float32Array(0);
  private tower: HybridDeepTower | null = null;
  private contentDim = 0;
  private fitInfo: HybridDeepFitInfo | null = null;
  /** TF.js inference over the factor tables (the bench's TF.js latency row; ONNX is the other). */
  private readonly tfScoring = new TfFactorScoring();

  constructor(params: Partial<HybridDeepConfig> = {}) {
    this.params = resolveHybridDeepConfig(params);
  }

  get factorDim(): number {
    return this.params.dim + 1;
  }

  get nItems(): number {
    return this.itemFactors.length / this.factorDim;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const c = this.params;
    if (train.nnz === 0) throw new ModelFitError('hybrid-deep: the training matrix has no interactions');
    const backend = await useBackend(c.backend);
    const content = buildItemContent(ctx.catalog, train.nItems, resolveItemContentConfig({ tagWidth: c.tagWidth }));
    const root = new Rng(ctx.seed);
    const itemCounts = train.itemCounts();
    const network = new HybridDeepNetwork({ nUsers: train.nUsers, nItems: train.nItems, contentDim: content.dim }, content.values, c, root.fork('init'));
    try {
      const refresh = (): void => {
        network.recalibrateBatchNorm();
        this.userFactors = network.userFactorsWithOne();
        this.itemFactors = network.itemFactorsWithBias(itemCounts);
      };
      const validate = ctx.validate
        ? (): number => {
            refresh();
            return ctx.validate!(this);
          }
        : undefined;
      const result = await trainModel({
        model: { variables: network.variables, loss: (batch, training) => network.loss(batch as ListBatch, training) },
        batches: (epoch) => listBatches(train, c.listSize, c.negatives, c.batchSize, root.fork(`epoch-${epoch}`), c.popularNegativeShare),
        batchExamples: (batch) => (batch as ListBatch).users.length,
        validate,
        config: { ...c, seed: ctx.seed },
        onProgress: ctx.onProgress,
        label: this.name,
      });
      // the loop restored the best epoch's weights; the BatchNorm statistics follow from them
      refresh();
      this.tower = network.tower();
      this.contentDim = content.dim;
      this.fitInfo = { ...fitSummary(backend, result), contentColumns: content.dim };
    } finally {
      network.dispose();
    }
    for (const [name, a] of [['userFactors', this.userFactors], ['itemFactors', this.itemFactors]] as const) {
      if (!a.every(Number.isFinite)) throw new ModelFitError(`hybrid-deep: ${name} hold non-finite values after training; lower learningRate (${c.learningRate})`);
    }
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('hybrid-deep: scoreUsers called before fit or load');
    return this.tfScoring.score(this.userFactors, this.itemFactors, this.factorDim, users, out ?? new Float32Array(users.length * this.nItems), this.name);
  }

  /** Releases the TF.js tensors that serve scoreUsers. */
  dispose(): void {
    this.tfScoring.dispose();
  }

  /** Cold user: the weighted mean of the liked items' vectors as the user embedding (the bias column kept at 1). */
  scoreFromItems(likedItems: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('hybrid-deep: scoreFromItems called before fit or load');
    const F = this.factorDim;
    const user = basketMean(this.itemFactors, F, likedItems, weights, this.name, F - 1);
    user[F - 1] = 1;
    return factorScores(user, this.itemFactors, F, Int32Array.of(0), scoreRow(out, this.nItems, this.name), this.name);
  }

  /** ONNX scorer: `user` int64 [batch] → `scores` [batch, nItems], the same numbers as scoreUsers. */
  toOnnx(): Uint8Array {
    if (this.itemFactors.length === 0) throw new ModelFitError('hybrid-deep: toOnnx called before fit or load');
    return exportDotProductScorer({ userEmbedding: this.userFactors, itemEmbedding: this.itemFactors, dim: this.factorDim }, { producer: 'musicrec hybrid-deep' });
  }

  /** ONNX content tower (BatchNorm folded): `features` [n, contentDim] → `embedding` [n, dim], the item vector without id embedding and bias. */
  itemEncoderToOnnx(): Uint8Array {
    if (!this.tower) throw new ModelFitError('hybrid-deep: itemEncoderToOnnx called before fit or load');
    const t = this.tower;
    return exportItemEncoder({
      featureDim: this.contentDim,
      stages: [{ dense: t.input }, ...t.blocks.map((residual) => ({ residual })), { dense: t.output }],
      l2Normalize: false,
    });
  }

  /** The epoch early stopping kept on validation; `{}` when the last fit validated nothing. */
  refitParams(): Record<string, unknown> {
    return this.fitInfo && this.fitInfo.bestValidationNdcg !== null ? { epochs: this.fitInfo.bestEpoch } : {};
  }

  describe(): Record<string, unknown> {
    return { ...this.fitInfo };
  }

  async save(dir: string): Promise<void> {
    const arrays: Record<string, StoredArray> = { userFactors: this.userFactors, itemFactors: this.itemFactors };
    const t = this.tower;
    if (t) {
      arrays.inputWeight = t.input.weight;
      arrays.inputBias = t.input.bias;
      t.blocks.forEach((b, k) => {
        const l = b.layers[0];
        const bn = l.batchNorm!;
        Object.assign(arrays, {
          [`block${k}Weight`]: l.weight,
          [`block${k}Bias`]: l.bias,
          [`block${k}Gamma`]: bn.gamma,
          [`block${k}Beta`]: bn.beta,
          [`block${k}MovingMean`]: bn.movingMean,
          [`block${k}MovingVariance`]: bn.movingVariance,
        });
      });
      arrays.outputWeight = t.output.weight;
      arrays.outputBias = t.output.bias;
    }
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nUsers: this.userFactors.length / this.factorDim, nItems: this.nItems, contentDim: this.contentDim, fit: this.fitInfo },
      arrays,
    );
  }

  static async load(dir: string): Promise<HybridDeepRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'hybrid-deep') throw new DataError(`expected a saved "hybrid-deep" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    const model = new HybridDeepRecommender(meta.params as Partial<HybridDeepConfig>);
    // a fresh process has no TF.js backend yet; one saved on a GPU machine falls back to what runs here
    await useBackend(model.params.backend, { fallback: true });
    const { dim, hidden, blocks } = model.params;
    const F = dim + 1;
    const nUsers = meta.nUsers as number;
    const nItems = meta.nItems as number;
    const contentDim = meta.contentDim as number;
    const f32 = (name: string, length: number): Float32Array => float32ArrayOf(arrays, name, length, dir);
    model.userFactors = f32('userFactors', nUsers * F);
    model.itemFactors = f32('itemFactors', nItems * F);
    model.contentDim = contentDim;
    model.tower = {
      input: { weight: f32('inputWeight', contentDim * hidden), bias: f32('inputBias', hidden), activation: 'relu' },
      blocks: Array.from({ length: blocks }, (_, k) => ({
        layers: [
          {
            weight: f32(`block${k}Weight`, hidden * hidden),
            bias: f32(`block${k}Bias`, hidden),
            activation: 'relu' as const,
            batchNorm: {
              gamma: f32(`block${k}Gamma`, hidden),
              beta: f32(`block${k}Beta`, hidden),
              movingMean: f32(`block${k}MovingMean`, hidden),
              movingVariance: f32(`block${k}MovingVariance`, hidden),
              epsilon: BATCH_NORM_EPSILON,
            },
          },
        ],
      })),
      output: { weight: f32('outputWeight', hidden * dim), bias: f32('outputBias', dim), activation: 'linear' },
    };
    model.fitInfo = (meta.fit as HybridDeepFitInfo | null) ?? null;
    return model;
  }
}
