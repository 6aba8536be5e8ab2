import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, DISPOSABLE, DataError, isOnnxExportable, loadModelDir, range, saveModelDir } from '@musicrec/core';
import type { Disposable, FitContext, Interactions, Recommender, RecommenderFactory } from '@musicrec/core';
import { OnnxScorer } from '../onnx/onnx-scorer';
import type { OnnxInferenceLabel, OnnxProvider, OnnxScorerOptions } from '../onnx/onnx-scorer';
import { OnnxTopKScorer } from '../onnx/onnx-top-k';
import type { TopKRows } from '../onnx/onnx-top-k';

/**
 * Turns a fitted model into scorer-graph bytes, e.g. with models-neural:
 * `(m, { nItems }) => exportDotProductScorer({ userEmbedding: m.userFactors!, itemEmbedding: m.itemFactors!, dim: m.itemFactors!.length / nItems })`.
 */
export type OnnxExporter = (model: Recommender, shape: { nUsers: number; nItems: number }) => Uint8Array;

/** The default exporter: the model's own graph, for a model that declares `OnnxExportable`. */
const exportOwnGraph: OnnxExporter = (model) => {
  if (!isOnnxExportable(model)) throw new ConfigError(`${model.name} does not declare OnnxExportable; give OnnxRecommender an exporter`);
  return model.toOnnx();
};

const ONNX_FILE = 'model.onnx';

export interface OnnxRecommenderOptions extends OnnxScorerOptions {
  /** Users per session run while filling the score table. Default 256. */
  batchSize?: number;
}

/**
 * Serves a model's scores through an exported ONNX graph. Fitting fits the inner model,
 * exports it with `exporter`, opens an `OnnxScorer` (cuda → webgpu → cpu) and scores every
 * user once through it, so the synchronous `scoreUsers` the evaluation calls returns the ONNX
 * numbers (memory: nUsers × nItems floats, 133 MB on lastfm-2k). `recommendAsync` answers one
 * request through the graph with a TopK node appended (one thread, k items copied out): that
 * is what a latency row times. `scoreUsersAsync` runs the full-score graph per call.
 * `exporter` defaults to the inner model's own `toOnnx()` (`OnnxExportable`).
 *
 * The two sessions hold native memory: `await release()` frees them, or `dispose()` (Disposable)
 * where nothing can wait. Neither touches the inner model, which stays the caller's.
 */
export class OnnxRecommender implements Recommender, Disposable {
  readonly name: string;
  readonly [DISPOSABLE] = true as const;
  readonly params: Readonly<Record<string, unknown>>;
  private scorer: OnnxScorer | null = null;
  /** One-thread top-k session for requests (see recommendAsync). */
  private requestScorer: OnnxTopKScorer | null = null;
  private bytes: Uint8Array | null = null;
  private table: Float32Array | null = null;
  private nItems = 0;
  private nUsers = 0;

  constructor(
    readonly inner: Recommender,
    private readonly exporter: OnnxExporter = exportOwnGraph,
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

  /** The execution provider the sessions run on; throws before fit. */
  get provider(): OnnxProvider {
    return this.ready().provider;
  }

  /** Providers that failed before the one in use, with their errors. */
  get tried(): OnnxScorer['tried'] {
    return this.ready().tried;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    await this.inner.fit(train, ctx);
    await this.attach(train.nUsers, train.nItems);
  }

  /** Exports an already fitted inner model (or uses `bytes`) and scores all nUsers users through ONNX. */
  async attach(nUsers: number, nItems: number, bytes?: Uint8Array): Promise<this> {
    if (this.scorer) await this.scorer.release();
    if (this.requestScorer) await this.requestScorer.release();
    this.bytes = bytes ?? this.exporter(this.inner, { nUsers, nItems });
    this.scorer = await OnnxScorer.create(this.bytes, this.options);
    // opened here, not on the first request, so no request pays for creating a session
    this.requestScorer = await OnnxTopKScorer.create(this.bytes, { ...this.options, providers: [this.scorer.provider], intraOpNumThreads: 1, nItems });
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

  /** Full score rows for `users` (row-major users.length × nItems), one run of the multi-thread session. */
  async scoreUsersAsync(users: Int32Array): Promise<Float32Array> {
    return this.ready().scoreUsers(users);
  }

  /**
   * One request: the best `k` items for `user` that are not in `exclude` (sorted ascending,
   * e.g. the user's training items), best first, through the top-k graph on a one-thread
   * session. One thread, because splitting 17k items × 64 across threads costs more in
   * wake-ups than it saves (one user on Last.fm, 2 cores: p99 0.3 ms on one thread,
   * 0.4–4.6 ms on the pool), and a server runs requests side by side. The same items and
   * scores as `scoreUsers` + `@musicrec/core` topK.
   */
  async recommendAsync(user: number, k: number, exclude?: ArrayLike<number>): Promise<TopKRows> {
    this.ready();
    if (!(Number.isInteger(user) && user >= 0 && user < this.nUsers)) throw new ConfigError(`${this.name}: unknown user index ${user}`);
    return this.requestScorer!.recommendUsers(Int32Array.of(user), k, exclude ? () => exclude : undefined);
  }

  /** Saves the inner model under `model/` and the graph as `model.onnx` (servable on its own). */
  async save(dir: string): Promise<void> {
    this.ready();
    await this.inner.save(join(dir, 'model'));
    await saveModelDir(dir, { kind: 'onnx', inner: this.inner.name, nUsers: this.nUsers, nItems: this.nItems, file: ONNX_FILE });
    await writeFile(join(dir, ONNX_FILE), this.bytes!);
  }

  /** Restores a saved OnnxRecommender from its saved graph (no re-export); `innerFactory` loads the wrapped model. */
  static async load(
    dir: string,
    innerFactory: Pick<RecommenderFactory, 'load'>,
    exporter: OnnxExporter,
    options: OnnxRecommenderOptions = {},
  ): Promise<OnnxRecommender> {
    const { meta } = await loadModelDir(dir);
    if (meta.kind !== 'onnx') throw new DataError(`not an ONNX-served model (kind ${JSON.stringify(meta.kind)})`, { file: dir, field: 'meta.kind' });
    const inner = await innerFactory.load(join(dir, 'model'));
    const bytes = new Uint8Array(await readFile(join(dir, ONNX_FILE)));
    return new OnnxRecommender(inner, exporter, options).attach(meta.nUsers as number, meta.nItems as number, bytes);
  }

  describe(): Record<string, unknown> {
    return { ...(this.inner.describe?.() ?? {}), onnxProvider: this.scorer?.provider, onnxTried: this.scorer?.tried };
  }

  /** Frees both sessions and the score table (scoring then needs `attach` again). */
  async release(): Promise<void> {
    const sessions = this.detach();
    for (const s of sessions) await s.release();
  }

  /**
   * `release()` for a caller that cannot wait (Disposable): onnxruntime-node frees a session's
   * native memory synchronously when its release starts, so both are freed when this returns.
   * A failure cannot reach the caller here; `release()` is the variant that reports one.
   */
  dispose(): void {
    for (const s of this.detach()) void s.release().catch(() => undefined);
  }

  /** Forgets the sessions and the table (so a second release / dispose is a no-op) and returns the sessions to free. */
  private detach(): (OnnxScorer | OnnxTopKScorer)[] {
    const sessions = [this.scorer, this.requestScorer].filter((s): s is OnnxScorer | OnnxTopKScorer => s !== null);
    this.scorer = null;
    this.requestScorer = null;
    this.table = null;
    return sessions;
  }

  private ready(): OnnxScorer {
    if (!this.scorer || !this.table) throw new ConfigError(`${this.name}: fit() or attach() before scoring`);
    return this.scorer;
  }
}

/** Registry factory for the ONNX-served variant of a model: params go to the inner model. */
export function onnxRecommenderFactory<P>(
  inner: RecommenderFactory<P>,
  exporter: OnnxExporter,
  options: OnnxRecommenderOptions = {},
): RecommenderFactory<P> {
  return {
    name: `${inner.name}+onnx`,
    create: (params) => new OnnxRecommender(inner.create(params), exporter, options),
    load: (dir) => OnnxRecommender.load(dir, inner, exporter, options),
  };
}
