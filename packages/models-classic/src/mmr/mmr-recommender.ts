import { join } from 'node:path';
import {
  ConfigError,
  DataError,
  ModelFitError,
  loadModelDir,
  saveModelDir,
  topK,
  type FitContext,
  type Interactions,
  type Recommender,
  type RecommenderFactory,
} from '@musicrec/core';
import { resolveMmrConfig, type MmrConfig } from './config';
import { mmrRerank } from './mmr-rerank';

/** Row-major item vectors (nItems × dim); MMR's similarity is their cosine. */
export interface ItemVectors {
  readonly values: Float32Array;
  readonly dim: number;
}

/** Vectors fixed up front, or derived at fit time from the training data and context (e.g. the catalog). */
export type ItemVectorSource = ItemVectors | ((train: Interactions, ctx: FitContext) => ItemVectors);

const BASE_DIR = 'base';

/**
 * MMR re-ranking over any base recommender, behind the plain `Recommender` contract so the
 * standard evaluator applies unchanged: `scoreUsers` returns, per user, scores that induce
 * the MMR order on the base model's top `pool` unseen items (pool item at MMR position r
 * scores pool − r ≥ 1) and keeps the base order below them for everything else (base score
 * min–max mapped into [−2, −1], non-finite → −2). Items seen in training never enter the
 * pool, matching `recommendTopK(..., { exclude: train })`. Diversity is cosine between
 * the given item vectors, or the base model's `itemFactors` when none are given.
 */
export class MmrRecommender implements Recommender {
  readonly name = 'mmr';
  readonly params: Readonly<MmrConfig & { base: string }>;
  private unit: ItemVectors | null = null;
  private seen: { indptr: Int32Array; indices: Int32Array } = { indptr: new Int32Array(1), indices: new Int32Array(0) };
  private nItems = 0;

  constructor(
    readonly base: Recommender,
    params: Partial<MmrConfig> = {},
    private readonly itemVectors?: ItemVectorSource,
  ) {
    this.params = { ...resolveMmrConfig(params), base: base.name };
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    await this.base.fit(train, ctx);
    let vectors = typeof this.itemVectors === 'function' ? this.itemVectors(train, ctx) : this.itemVectors;
    if (!vectors && this.base.itemFactors) vectors = { values: this.base.itemFactors, dim: this.base.itemFactors.length / train.nItems };
    if (!vectors) throw new ConfigError(`mmr: no item vectors given and base model "${this.base.name}" has no itemFactors`);
    if (!Number.isInteger(vectors.dim) || vectors.dim < 1 || vectors.values.length !== train.nItems * vectors.dim) {
      throw new ConfigError(`mmr: item vectors have ${vectors.values.length} values, expected ${train.nItems} items × dim ${vectors.dim}`);
    }
    this.unit = unitRows(vectors);
    this.nItems = train.nItems;
    this.seen = { indptr: train.indptr, indices: train.indices };
  }

  /** Cosine between items i and j (0 when either vector is zero). */
  similarity(i: number, j: number): number {
    const { values, dim } = this.unit!;
    let s = 0;
    for (let d = 0; d < dim; d++) s += values[i * dim + d] * values[j * dim + d];
    return s;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    if (!this.unit) throw new ModelFitError('mmr: scoreUsers called before fit or load');
    const n = this.nItems;
    const nUsers = this.seen.indptr.length - 1;
    for (let b = 0; b < users.length; b++) {
      if (!(users[b] >= 0 && users[b] < nUsers)) throw new RangeError(`mmr: user index ${users[b]} out of range [0, ${nUsers})`);
    }
    const scores = this.base.scoreUsers(users, out);
    const pool = Math.min(this.params.pool, n);
    const poolItems = new Int32Array(pool);
    const poolScores = new Float32Array(pool);
    const similarity = (i: number, j: number) => this.similarity(i, j);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const offset = b * n;
      const seen = this.seen.indices.subarray(this.seen.indptr[u], this.seen.indptr[u + 1]);
      const found = topK(scores, pool, poolItems, poolScores, seen, offset, n);
      const order = mmrRerank(poolItems.subarray(0, found), poolScores.subarray(0, found), found, this.params.lambda, similarity);
      belowPool(scores, offset, n);
      for (let r = 0; r < order.length; r++) scores[offset + order[r]] = order.length - r;
    }
    return scores;
  }

  describe(): Record<string, unknown> {
    return { base: this.base.name, baseParams: this.base.params, ...(this.base.describe?.() ?? {}) };
  }

  /** Saves the base model into `dir/base` and the unit vectors and seen items next to it. */
  async save(dir: string): Promise<void> {
    if (!this.unit) throw new ModelFitError('mmr: save called before fit or load');
    await this.base.save(join(dir, BASE_DIR));
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, baseModel: this.base.name, nItems: this.nItems, dim: this.unit.dim },
      { vectors: this.unit.values, seenIndptr: this.seen.indptr, seenIndices: this.seen.indices },
    );
  }

  /** Restores a saved MMR model; `baseFactory` loads the base model saved in `dir/base`. */
  static async load(dir: string, baseFactory: Pick<RecommenderFactory, 'load'>): Promise<MmrRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'mmr') throw new DataError(`expected a saved "mmr" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    const base = await baseFactory.load(join(dir, BASE_DIR));
    if (base.name !== meta.baseModel) {
      throw new DataError(`base model is "${base.name}", the MMR model was saved over "${String(meta.baseModel)}"`, { file: dir, field: 'meta.baseModel' });
    }
    const nItems = meta.nItems as number;
    const dim = meta.dim as number;
    const vectors = arrays.vectors;
    if (!(vectors instanceof Float32Array) || !Number.isInteger(nItems) || !Number.isInteger(dim) || vectors.length !== nItems * dim) {
      throw new DataError(`vectors must be ${String(nItems)} × ${String(dim)} float32 values`, { file: dir, field: 'arrays.vectors' });
    }
    const { seenIndptr, seenIndices } = arrays;
    if (!(seenIndptr instanceof Int32Array) || !(seenIndices instanceof Int32Array) || seenIndptr[seenIndptr.length - 1] !== seenIndices.length) {
      throw new DataError('seen items must be an int32 CSR', { file: dir, field: 'arrays.seenIndptr' });
    }
    const { base: _base, ...params } = meta.params as MmrConfig & { base: string };
    const model = new MmrRecommender(base, params);
    model.unit = { values: vectors, dim };
    model.nItems = nItems;
    model.seen = { indptr: seenIndptr, indices: seenIndices };
    return model;
  }
}

/** An MMR factory over a base factory: `create` builds base and wrapper, `load` restores both. */
export function mmrFactory(baseFactory: RecommenderFactory, baseParams: Record<string, unknown> = {}): RecommenderFactory<MmrConfig> {
  return {
    name: `mmr(${baseFactory.name})`,
    create: (params) => new MmrRecommender(baseFactory.create(baseParams), params),
    load: (dir) => MmrRecommender.load(dir, baseFactory),
  };
}

/** Rows scaled to unit length (zero rows stay zero), so dot products are cosines. */
function unitRows({ values, dim }: ItemVectors): ItemVectors {
  const out = new Float32Array(values.length);
  for (let r = 0; r * dim < values.length; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += values[r * dim + d] * values[r * dim + d];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) out[r * dim + d] = values[r * dim + d] * inv;
  }
  return { values: out, dim };
}

/** Maps one row's base scores into [−2, −1] keeping their order (non-finite → −2), below every pool score. */
function belowPool(scores: Float32Array, offset: number, n: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[offset + i];
    if (Number.isFinite(s)) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
  }
  const span = max - min;
  for (let i = 0; i < n; i++) {
    const s = scores[offset + i];
    scores[offset + i] = Number.isFinite(s) ? -2 + (span > 0 ? (s - min) / span : 1) : -2;
  }
}
