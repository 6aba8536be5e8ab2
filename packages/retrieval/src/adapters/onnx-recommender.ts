import { ConfigError, range } from '@musicrec/core';
import type { FitContext, Interactions, Recommender } from '@musicrec/core';
import { OnnxScorer } from '../onnx/onnx-scorer';
import type { OnnxInferenceLabel, OnnxScorerOptions } from '../onnx/onnx-scorer';

/** Turns a fitted model into scorer-graph bytes (e.g. models-neural's exportDotProductScorer over its factors). */
export type OnnxExporter = (model: Recommender) => Uint8Array;

export interface OnnxRecommenderOptions extends OnnxScorerOptions {
  /** Users per session run while filling the score table. Default 256. */
  batchSize?: number;
}

/**
 * Serves a model's scores through an exported ONNX graph. Fitting fits the inner model,
 * exports it with `exporter`, opens an `OnnxScorer` (cuda → webgpu → cpu) and scores every
 * user once through it, so the synchronous `scoreUsers` the evaluation calls returns the ONNX
 * numbers (memory: nUsers × nItems floats, 133 MB on lastfm-2k). `scoreUsersAsync` runs the
 * session per call: that is what a latency row times.
 */
export class OnnxRecommender implements Recommender {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  private scorer: OnnxScorer | null = null;
  private table: Float32Array | null = null;
  private nItems = 0;
  private nUsers = 0;

  constructor(
    readonly inner: Recommender,
    private readonly exporter: OnnxExporter,
    private readonly options: OnnxRecommenderOptions = {},
  ) {
    this.name = `${inner.name}+onnx`;
    this.params = inner.params;
  }

  get userFactors(): Float32Array | undefined {
    return this.inner.userFactors;
  }

  get itemFactors(): Float32Array | undefined {
    return this.inner.itemFactors;
  }

  /** The report row's label, e.g. 'onnx-cpu'; throws before fit. */
  get inference(): OnnxInferenceLabel {
    return this.ready().inference;
  }

  /** Providers that failed before the one in use, with their errors. */
  get tried(): OnnxScorer['tried'] {
    return this.ready().tried;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    await this.inner.fit(train, ctx);
    await this.attach(train.nUsers, train.nItems);
  }

  /** Exports an already fitted inner model and scores all nUsers users through ONNX. */
  async attach(nUsers: number, nItems: number): Promise<this> {
    if (this.scorer) await this.scorer.release();
    this.scorer = await OnnxScorer.create(this.exporter(this.inner), this.options);
    this.nUsers = nUsers;
    this.nItems = nItems;
    this.table = await this.scorer.scoreUsersBatched(range(nUsers), nItems, this.options.batchSize ?? 256);
    return this;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    this.ready();
    const { nItems, nUsers } = this;
    const table = this.table!;
    const result = out ?? new Float32Array(users.length * nItems);
    if (result.length !== users.length * nItems) throw new ConfigError(`${this.name}: out has ${result.length} values, expected ${users.length} × ${nItems}`);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < nUsers)) throw new ConfigError(`${this.name}: unknown user index ${u}`);
      result.set(table.subarray(u * nItems, (u + 1) * nItems), b * nItems);
    }
    return result;
  }

  /** One session run for `users` (what serving does per request). */
  async scoreUsersAsync(users: Int32Array): Promise<Float32Array> {
    return this.ready().scoreUsers(users);
  }

  /** Saves the inner model; the ONNX graph is re-exported from it on load (`attach`). */
  async save(dir: string): Promise<void> {
    await this.inner.save(dir);
  }

  describe(): Record<string, unknown> {
    return { ...(this.inner.describe?.() ?? {}), onnxProvider: this.scorer?.provider, onnxTried: this.scorer?.tried };
  }

  async release(): Promise<void> {
    await this.scorer?.release();
    this.scorer = null;
    this.table = null;
  }

  private ready(): OnnxScorer {
    if (!this.scorer || !this.table) throw new ConfigError(`${this.name}: fit() or attach() before scoring`);
    return this.scorer;
  }
}
