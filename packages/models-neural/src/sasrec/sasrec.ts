import * as tf from '@tensorflow/tfjs-core';
import {
  DataError,
  ModelFitError,
  Rng,
  loadModelDir,
  saveModelDir,
  type FitContext,
  type Interactions,
  type ProgressListener,
  type Recommender,
  type Sequences,
  type StoredArray,
} from '@musicrec/core';
import { ONNX_EXPORTABLE, SEQUENCE_RECOMMENDER, DISPOSABLE, REFITTABLE } from '@musicrec/core';
import type { OnnxExportable, SequenceRecommender, Disposable, Refittable } from '@musicrec/core';
import { padSequences, sequencesFromInteractions, type SequenceSplit } from '@musicrec/data';
import { resolveBackend } from '../backend/resolve-backend';
import { trainModel } from '../training/train-model';
import type { TrainConfig } from '../training/train-config';
import type { TrainableModel } from '../training/trainable-model';
import { resolveSasRecConfig, type SasRecConfig } from './config';
import { SasRecNetwork, type SasRecBatch, type SasRecShape } from './network';
import { nextItemNdcg } from './next-item-ndcg';
import { sasRecOnnxGraph } from './onnx-export';
import { sequencesWithoutHeldOutValidation } from './training-sequences';
import { epochBatches, trainingWindows } from './windows';

/** What `fitSequences` needs besides the split. */
export interface SequenceFitContext {
  seed: number;
  /** Catalogue size (item indices of the sequences are < nItems). */
  nItems: number;
  onProgress?: ProgressListener;
}

/** Facts about the last fit, for the report row. */
export interface SasRecFitSummary {
  backend: string;
  epochsRun: number;
  /** Epoch (1-based) whose weights were kept; the last epoch when nothing was validated. */
  bestEpoch: number;
  bestValidationNdcg10: number | null;
  /** Next-item targets per epoch (every transition of the training sequences). */
  trainExamples: number;
  /** Wall time of the whole fit loop, validation included. */
  trainSeconds: number;
  /** Training targets per second, validation excluded. */
  examplesPerSecond: number;
}

// users scored per forward pass while validating (memory: this many × nItems floats)
const SCORE_BATCH = 256;

/**
 * SASRec (Kang & McAuley 2018) over per-user time-ordered item sequences.
 *
 * Which events each stage sees:
 * - `fitSequences(split)` (leave-last-out, the paper's protocol): trains on `split.train`
 *   (every event but each user's last two; with `trainOnUnsampledValidation`, users outside
 *   the validation sample keep their second-to-last event too), early-stops on NDCG@10 of the validation target
 *   (second-to-last event) predicted from `split.train`, keeps the best epoch's weights, then
 *   scores from `split.fullTrain` (every event but the last): the test target is never seen,
 *   the validation event is used only as input context at test time.
 * - `fit(train, ctx)` (the Recommender contract): the sequences are those of `train`'s own
 *   timestamps; early stopping uses the harness's `ctx.validate` (its validation fold); scoring
 *   uses `train`'s sequences. `ctx.dataset.sequences` is never read: it holds the test events.
 *
 * Scores are h·e_i for the last position's hidden state h, over every item; the caller
 * excludes what should not be recommended.
 */
export class SasRecRecommender implements Recommender, OnnxExportable, SequenceRecommender, Disposable, Refittable {
  readonly name = 'sasrec';
  readonly [ONNX_EXPORTABLE] = true as const;
  readonly [SEQUENCE_RECOMMENDER] = true as const;
  readonly [DISPOSABLE] = true as const;
  readonly [REFITTABLE] = true as const;
  readonly params: Readonly<SasRecConfig>;
  private network: SasRecNetwork | null = null;
  private scoring: Sequences | null = null;
  private summary: SasRecFitSummary | null = null;

  constructor(params: Partial<SasRecConfig> = {}) {
    this.params = resolveSasRecConfig(params);
  }

  get nItems(): number {
    return this.network?.shape.nItems ?? 0;
  }

  /** The sequences `scoreUsers` reads each user's history from. */
  get scoringSequences(): Sequences | null {
    return this.scoring;
  }

  /** Replaces the histories `scoreUsers` reads (e.g. to serve with newer events); same users. */
  setScoringSequences(sequences: Sequences): void {
    this.scoring = sequences;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    if (!train.timestamps) {
      throw new ModelFitError(
        'sasrec: the training matrix has no timestamps, so it has no order; use fitSequences with a leave-last-out SequenceSplit',
      );
    }
    const sequences = sequencesFromInteractions(train);
    const validate = ctx.validate;
    // ctx.validate scores through scoreUsers while training, from the training events
    this.scoring = sequences;
    await this.train(sequences, train.nItems, ctx.seed, ctx.onProgress, validate ? () => validate(this) : null);
  }

  /** Leave-last-out training (see the class comment for which events each stage sees). */
  async fitSequences(split: SequenceSplit, ctx: SequenceFitContext): Promise<void> {
    const users = this.validationUsers(split.validationTarget, ctx.seed);
    const validate = users.length > 0 ? () => this.validationNdcg(split.train, split.validationTarget, users) : null;
    const learnFrom = this.params.trainOnUnsampledValidation ? sequencesWithoutHeldOutValidation(split, users) : split.train;
    await this.train(learnFrom, ctx.nItems, ctx.seed, ctx.onProgress, validate);
    this.scoring = split.fullTrain;
  }

  private validationUsers(target: Int32Array, seed: number): Int32Array {
    const all: number[] = [];
    for (let u = 0; u < target.length; u++) if (target[u] >= 0) all.push(u);
    const users = Int32Array.from(all);
    const max = this.params.validationUsers;
    if (max === 0 || users.length <= max) return users;
    return new Rng(seed).fork('sasrec-validation-users').shuffle(users).subarray(0, max).sort();
  }

  private validationNdcg(input: Sequences, target: Int32Array, users: Int32Array): number {
    let sum = 0;
    const nItems = this.nItems;
    const buf = new Float32Array(Math.min(SCORE_BATCH, users.length) * nItems);
    for (let start = 0; start < users.length; start += SCORE_BATCH) {
      const batch = users.subarray(start, Math.min(users.length, start + SCORE_BATCH));
      const scores = this.scoreFrom(input, batch, buf.subarray(0, batch.length * nItems));
      sum += nextItemNdcg(scores, nItems, batch, target, input, 10);
    }
    return sum / users.length;
  }

  private async train(
    sequences: Sequences,
    nItems: number,
    seed: number,
    onProgress: ProgressListener | undefined,
    validate: (() => number) | null,
  ): Promise<void> {
    const p = this.params;
    if (nItems < 1) throw new ModelFitError('sasrec: the catalogue is empty');
    const windows = trainingWindows(sequences, p.maxLen, p.windowsPerUser);
    if (windows.users.length === 0) throw new ModelFitError('sasrec: no user has two or more training events, so there is nothing to predict');
    const info = await resolveBackend(p.backend === 'auto' ? {} : { order: [p.backend] });
    if (p.backend !== 'auto' && tf.getBackend() !== p.backend && !(await tf.setBackend(p.backend))) {
      throw new ModelFitError(`sasrec: TF.js backend "${p.backend}" could not be started (running: ${info.name})`);
    }
    const rng = new Rng(seed);
    const shape: SasRecShape = { nItems, factors: p.factors, heads: p.heads, blocks: p.blocks, maxLen: p.maxLen };
    this.network?.dispose();
    const network = new SasRecNetwork(shape, SasRecNetwork.initialWeights(shape, rng.fork('init')));
    this.network = network;
    let examples = 0;
    for (let w = 0; w < windows.lengths.length; w++) examples += windows.lengths[w];

    const trainable: TrainableModel = {
      variables: network.variables,
      loss: (batch, training) => {
        const b = batch as SasRecBatch;
        return network.loss(b, training ? p.dropout : 0, training ? b.dropoutSeed : undefined, p.l2);
      },
    };
    const config: TrainConfig = {
      epochs: p.epochs,
      batchSize: p.batchSize,
      learningRate: p.learningRate,
      clipNorm: p.clipNorm,
      patience: p.patience,
      lrPatience: p.lrPatience,
      lrFactor: p.lrFactor,
      minLearningRate: p.minLearningRate,
      seed,
    };
    const started = performance.now();
    const result = await trainModel({
      model: trainable,
      batches: (epoch) =>
        epochBatches(sequences, windows, nItems, p.batchSize, rng.fork(`epoch${epoch}`), p.loss === 'sampled-softmax' ? p.sampledNegatives : 0),
      batchExamples: (batch) => (batch as SasRecBatch).targets,
      validate: validate ?? undefined,
      config,
      onProgress,
      label: 'sasrec',
    });
    this.summary = {
      backend: tf.getBackend(),
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      bestValidationNdcg10: validate ? result.bestScore : null,
      trainExamples: examples,
      trainSeconds: (performance.now() - started) / 1000,
      examplesPerSecond: result.examplesPerSecond,
    };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    if (!this.scoring) throw new ModelFitError('sasrec: scoreUsers called before fit or load');
    return this.scoreFrom(this.scoring, users, out);
  }

  /**
   * Scores of every item after each listed user's history in `sequences` (its last maxLen
   * events): row-major users.length × nItems. A user with no history gets all zeros.
   */
  scoreFrom(sequences: Sequences, users: Int32Array, out?: Float32Array): Float32Array {
    const network = this.requireNetwork('scoreFrom');
    const nItems = network.shape.nItems;
    const scores = out ?? new Float32Array(users.length * nItems);
    if (scores.length !== users.length * nItems) {
      throw new RangeError(`sasrec: out has length ${scores.length}, expected ${users.length} × ${nItems}`);
    }
    if (users.length === 0) return scores;
    const maxLen = network.shape.maxLen;
    // the window is as long as the longest history of the batch (padding would change nothing)
    let length = 1;
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      length = Math.max(length, Math.min(maxLen, sequences.indptr[u + 1] - sequences.indptr[u]));
    }
    const ids = padSequences(sequences, users, length);
    for (let k = 0; k < ids.length; k++) ids[k] += 1; // -1 padding → id 0, item i → id i + 1
    return this.scoreIds(ids, users.length, length, scores);
  }

  /** Scores from explicit left-padded id windows (id = item + 1, 0 = padding): rows × nItems into out. */
  scoreIds(ids: Int32Array, rows: number, length: number, out?: Float32Array): Float32Array {
    const network = this.requireNetwork('scoreIds');
    if (length > network.shape.maxLen) throw new RangeError(`sasrec: window length ${length} exceeds maxLen ${network.shape.maxLen}`);
    const scores = out ?? new Float32Array(rows * network.shape.nItems);
    const result = tf.tidy(() => network.scoreLast(tf.tensor2d(ids, [rows, length], 'int32')));
    try {
      scores.set(result.dataSync() as Float32Array);
    } finally {
      result.dispose();
    }
    return scores;
  }

  /**
   * The inference graph as ONNX bytes (opset 17): input `history` int64 [batch, maxLen], a
   * left-padded window of ids (item + 1, 0 = padding; see `historyWindow`), output `scores`
   * float32 [batch, nItems].
   */
  toOnnx(): Uint8Array {
    const network = this.requireNetwork('toOnnx');
    return sasRecOnnxGraph(network.shape, network.readWeights());
  }

  /** The ONNX input row for one user's history in the scoring sequences (last maxLen events, ids item + 1). */
  historyWindow(user: number): BigInt64Array {
    const network = this.requireNetwork('historyWindow');
    if (!this.scoring) throw new ModelFitError('sasrec: historyWindow called before fit or load');
    const ids = padSequences(this.scoring, Int32Array.of(user), network.shape.maxLen);
    const out = new BigInt64Array(ids.length);
    for (let k = 0; k < ids.length; k++) out[k] = BigInt(ids[k] + 1);
    return out;
  }

  /** The epoch early stopping kept on validation (ctx.validate or the split's validation targets); `{}` when nothing was validated. */
  refitParams(): Record<string, unknown> {
    return this.summary && this.summary.bestValidationNdcg10 !== null ? { epochs: this.summary.bestEpoch } : {};
  }

  describe(): Record<string, unknown> {
    return { ...(this.summary ?? {}) };
  }

  async save(dir: string): Promise<void> {
    const network = this.requireNetwork('save');
    if (!this.scoring) throw new ModelFitError('sasrec: nothing to save before fit');
    const arrays: Record<string, StoredArray> = { ...network.readWeights() };
    arrays.scoringIndptr = this.scoring.indptr;
    arrays.scoringItems = this.scoring.items;
    arrays.scoringTimestamps = this.scoring.timestamps;
    await saveModelDir(dir, { model: 'sasrec', params: this.params, nItems: network.shape.nItems, summary: this.summary }, arrays);
  }

  static async load(dir: string): Promise<SasRecRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'sasrec') throw new DataError(`expected a sasrec model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    const nItems = meta.nItems;
    if (!(typeof nItems === 'number' && Number.isInteger(nItems) && nItems > 0)) {
      throw new DataError(`nItems must be a positive integer, got ${JSON.stringify(nItems)}`, { file: dir, field: 'meta.nItems' });
    }
    const model = new SasRecRecommender(meta.params as Partial<SasRecConfig>);
    const p = model.params;
    await resolveBackend(p.backend === 'auto' ? {} : { order: [p.backend] });
    if (p.backend !== 'auto' && tf.getBackend() !== p.backend) await tf.setBackend(p.backend);
    const shape: SasRecShape = { nItems, factors: p.factors, heads: p.heads, blocks: p.blocks, maxLen: p.maxLen };
    const weights: Record<string, Float32Array> = {};
    for (const [name, dims] of SasRecNetwork.weightShapes(shape)) {
      const a = arrays[name];
      const size = dims.reduce((x, y) => x * y, 1);
      if (!(a instanceof Float32Array) || a.length !== size) {
        throw new DataError(`expected ${name} as ${size} float32 values`, { file: dir, field: `arrays.${name}` });
      }
      weights[name] = a;
    }
    const { scoringIndptr, scoringItems, scoringTimestamps } = arrays;
    if (!(scoringIndptr instanceof Int32Array) || !(scoringItems instanceof Int32Array) || !(scoringTimestamps instanceof Float64Array)) {
      throw new DataError('expected the scoring sequences (int32 indptr and items, float64 timestamps)', { file: dir, field: 'arrays.scoringItems' });
    }
    model.network = new SasRecNetwork(shape, weights);
    model.scoring = { indptr: scoringIndptr, items: scoringItems, timestamps: scoringTimestamps };
    model.summary = (meta.summary as SasRecFitSummary | null) ?? null;
    return model;
  }

  /** Frees the network's tensors; the model cannot score afterwards. */
  dispose(): void {
    this.network?.dispose();
    this.network = null;
  }

  private requireNetwork(what: string): SasRecNetwork {
    if (!this.network) throw new ModelFitError(`sasrec: ${what} called before fit or load`);
    return this.network;
  }
}
