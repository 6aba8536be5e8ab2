import { DataError, ModelFitError, Rng, float32ArrayOf, loadModelDir, saveModelDir } from '@musicrec/core';
import { REFITTABLE, type Refittable } from '@musicrec/core';
import { ONNX_EXPORTABLE, type OnnxExportable } from '@musicrec/core';
import { exportMlpScorer } from '../onnx';
import { DISPOSABLE } from '@musicrec/core';
import type { Disposable } from '@musicrec/core';
import type { FitContext, Interactions, Recommender } from '@musicrec/core';
import { uniformNegativeSampler } from '@musicrec/data';
import { useBackend } from '../backend';
import { fitSummary, pickExamples, pointwiseExamples, shuffledBatches, trainModel } from '../training';
import type { NeuralFitSummary, PointwiseExamples } from '../training';
import { resolveNcfConfig } from './config';
import type { NcfConfig } from './config';
import { NcfNetwork } from './network';
import type { NcfInferenceWeights } from './network';

/** Facts about the last fit, for the report row. */
type NcfFitInfo = NeuralFitSummary;

/**
 * NCF / GMF / NeuMF (He et al., WWW 2017) in TF.js: pointwise log loss over observed
 * interactions and `negatives` uniformly sampled unseen items per positive (re-drawn every
 * epoch), trained by the shared loop (early stopping on ctx.validate). Scores are logits
 * of every item, computed on the TF.js backend.
 *
 * ```ts
 * const ncf = new NcfRecommender({ variant: 'neumf', factors: 32 });
 * await ncf.fit(train, { seed: 42, validate });
 * const scores = ncf.scoreUsers(Int32Array.of(0, 1));
 * ```
 */
export class NcfRecommender implements Recommender, Disposable, Refittable, OnnxExportable {
  readonly name = 'ncf';
  readonly [ONNX_EXPORTABLE] = true as const;
  readonly [REFITTABLE] = true as const;
  readonly [DISPOSABLE] = true as const;
  private config: NcfConfig;
  private network: NcfNetwork | null = null;
  private fitInfo: NcfFitInfo | null = null;

  constructor(params: Partial<NcfConfig> = {}) {
    this.config = resolveNcfConfig(params);
  }

  /** The resolved options; after fit or load, `backend` names the backend that ran. */
  get params(): Readonly<Record<string, unknown>> {
    return { ...this.config, mlpLayers: [...this.config.mlpLayers] };
  }

  get nItems(): number {
    return this.requireNetwork().shape.nItems;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const c = this.config;
    if (train.nnz === 0) throw new ModelFitError('ncf: the training matrix has no interactions');
    const backend = await useBackend(c.backend);
    this.network?.dispose();
    const root = new Rng(ctx.seed);
    const network = NcfNetwork.initial({ nUsers: train.nUsers, nItems: train.nItems }, c, root.fork('init'));
    this.network = network;
    const sampler = uniformNegativeSampler(train, root.fork('negatives').seed);
    const batchSize = c.batchSize;
    function* epochBatches(epoch: number): Generator<PointwiseExamples> {
      const examples = pointwiseExamples(train, c.negatives, sampler);
      for (const picks of shuffledBatches(examples.users.length, batchSize, root.fork(`shuffle-${epoch}`))) {
        yield pickExamples(examples, picks);
      }
    }
    const result = await trainModel({
      model: { variables: network.variables, loss: (batch) => network.loss(batch as PointwiseExamples) },
      batches: epochBatches,
      batchExamples: (batch) => (batch as PointwiseExamples).users.length,
      validate: ctx.validate ? () => ctx.validate!(this) : undefined,
      config: { ...c, seed: ctx.seed },
      onProgress: ctx.onProgress,
      label: `ncf-${c.variant}`,
    });
    const w = network.weights();
    for (const [name, a] of Object.entries(arraysOf(w))) {
      if (!a.every(Number.isFinite)) throw new ModelFitError(`ncf: ${name} holds non-finite values after training; lower learningRate (${c.learningRate})`);
    }
    this.config = { ...c, backend };
    this.fitInfo = fitSummary(backend, result);
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const network = this.requireNetwork();
    const { nUsers, nItems } = network.shape;
    for (let k = 0; k < users.length; k++) {
      const u = users[k];
      if (!(Number.isInteger(u) && u >= 0 && u < nUsers)) throw new RangeError(`ncf: user index ${u} outside 0..${nUsers - 1}`);
    }
    const target = out ?? new Float32Array(users.length * nItems);
    if (target.length !== users.length * nItems) {
      throw new RangeError(`ncf: out has ${target.length} values, expected ${users.length} × ${nItems}`);
    }
    return network.scoreAllItems(users, target);
  }

  /** GMF only: u ⊙ h (the output weight folded into the user side), so u·i ranks as the model does. */
  get userFactors(): Float32Array | undefined {
    const w = this.gmfOnlyWeights();
    if (!w) return undefined;
    const d = w.output.weight.length;
    const f = new Float32Array(w.gmf!.userEmb.length);
    for (let k = 0; k < f.length; k++) f[k] = w.gmf!.userEmb[k] * w.output.weight[k % d];
    return f;
  }

  /** GMF only: the item embeddings. */
  get itemFactors(): Float32Array | undefined {
    return this.gmfOnlyWeights()?.gmf!.itemEmb;
  }

  private gmfOnlyWeights(): NcfInferenceWeights | null {
    return this.config.variant === 'gmf' && this.network ? this.network.weights() : null;
  }

  /** ONNX scorer: `user` int64 [batch] → `scores` [batch, nItems] (the GMF + MLP towers, `exportMlpScorer`). */
  toOnnx(): Uint8Array {
    return exportMlpScorer(this.inferenceWeights());
  }

  /** The inference weights as plain row-major arrays (copies), e.g. for the ONNX exporter (`exportMlpScorer`). */
  inferenceWeights(): NcfInferenceWeights {
    return this.requireNetwork().weights();
  }

  /** The epoch early stopping kept on validation; `{}` when the last fit validated nothing. */
  refitParams(): Record<string, unknown> {
    return this.fitInfo && this.fitInfo.bestValidationNdcg !== null ? { epochs: this.fitInfo.bestEpoch } : {};
  }

  describe(): Record<string, unknown> {
    return { ...(this.fitInfo ?? {}) };
  }

  async save(dir: string): Promise<void> {
    const w = this.inferenceWeights();
    await saveModelDir(
      dir,
      { name: this.name, params: this.params, nUsers: w.nUsers, nItems: w.nItems, fitInfo: this.fitInfo },
      arraysOf(w),
    );
  }

  static async load(dir: string): Promise<NcfRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.name !== 'ncf') throw new DataError(`expected an ncf model, found "${String(meta.name)}"`, { file: dir, field: 'meta.name' });
    const model = new NcfRecommender(meta.params as Partial<NcfConfig>);
    const c = model.config;
    const nUsers = meta.nUsers as number;
    const nItems = meta.nItems as number;
    // the weights do not depend on the backend: a GPU-trained model loads on a CPU-only machine
    await useBackend(c.backend, { fallback: true });
    const half = c.mlpLayers[0] / 2;
    const w: NcfInferenceWeights = {
      nUsers,
      nItems,
      gmf:
        c.variant !== 'mlp'
          ? { userEmb: float32ArrayOf(arrays, 'gmfUser', nUsers * c.factors, dir), itemEmb: float32ArrayOf(arrays, 'gmfItem', nItems * c.factors, dir) }
          : undefined,
      mlp:
        c.variant !== 'gmf'
          ? {
              userEmb: float32ArrayOf(arrays, 'mlpUser', nUsers * half, dir),
              itemEmb: float32ArrayOf(arrays, 'mlpItem', nItems * half, dir),
              layers: c.mlpLayers.slice(1).map((outDim, l) => ({
                weight: float32ArrayOf(arrays, `layer${l}Weight`, c.mlpLayers[l] * outDim, dir),
                bias: float32ArrayOf(arrays, `layer${l}Bias`, outDim, dir),
                activation: 'relu' as const,
              })),
            }
          : undefined,
      output: {
        weight: float32ArrayOf(
          arrays,
          'outputWeight',
          (c.variant !== 'mlp' ? c.factors : 0) + (c.variant !== 'gmf' ? c.mlpLayers[c.mlpLayers.length - 1] : 0),
          dir,
        ),
        bias: float32ArrayOf(arrays, 'outputBias', 1, dir),
      },
      sigmoid: false,
    };
    model.network = NcfNetwork.fromWeights(w, c);
    model.fitInfo = (meta.fitInfo as NcfFitInfo | null) ?? null;
    return model;
  }

  /** Frees the TF.js variables (the model cannot score afterwards). */
  dispose(): void {
    this.network?.dispose();
    this.network = null;
  }

  private requireNetwork(): NcfNetwork {
    if (!this.network) throw new ModelFitError('ncf: the model is not fitted (call fit or NcfRecommender.load first)');
    return this.network;
  }
}

/** The weights as named flat arrays (the saved files). */
function arraysOf(w: NcfInferenceWeights): Record<string, Float32Array> {
  const arrays: Record<string, Float32Array> = {};
  if (w.gmf) {
    arrays.gmfUser = w.gmf.userEmb;
    arrays.gmfItem = w.gmf.itemEmb;
  }
  if (w.mlp) {
    arrays.mlpUser = w.mlp.userEmb;
    arrays.mlpItem = w.mlp.itemEmb;
    w.mlp.layers.forEach((l, k) => {
      arrays[`layer${k}Weight`] = l.weight;
      arrays[`layer${k}Bias`] = l.bias;
    });
  }
  arrays.outputWeight = w.output.weight;
  arrays.outputBias = w.output.bias;
  return arrays;
}
