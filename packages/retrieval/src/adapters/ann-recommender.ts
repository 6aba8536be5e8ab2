import { join } from 'node:path';
import { ConfigError, Interactions, ModelFitError, loadModelDir, resolveConfig, saveModelDir } from '@musicrec/core';
import type { FitContext, Recommender, RecommenderFactory, TopKResult } from '@musicrec/core';
import { hnswDefaults } from '../hnsw/hnsw-config';
import type { HnswConfig } from '../hnsw/hnsw-config';
import { HnswIndex } from '../hnsw/hnsw-index';
import type { HnswHits } from '../hnsw/hnsw-index';

export interface AnnConfig extends HnswConfig {
  /**
   * Unseen items `scoreUsers` fetches from the index per user; every other item scores
   * -Infinity. Must be at least the largest k the caller ranks (the bench ranks up to 20).
   */
  candidates: number;
}

export const annDefaults: AnnConfig = { ...hnswDefaults, candidates: 50 };

/**
 * Serves a factor model through HNSW instead of scoring the whole catalogue. Wraps any
 * recommender whose `userFactors` / `itemFactors` (row-major, same dimension) give its
 * scores as u·i; a model with biases outside the factors is ranked without them.
 *
 * `scoreUsers` keeps the Recommender contract so the bench evaluates it unchanged: each
 * user's row holds the inner products of the `candidates` best unseen items the index
 * returns and -Infinity elsewhere, so the caller's top-k (k ≤ candidates) is the HNSW
 * answer. `recommend` returns the lists directly.
 */
export class AnnRecommender implements Recommender {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly config: AnnConfig;
  /** The report row's `inference` label. */
  readonly inference = 'hnsw' as const;
  private index: HnswIndex | null = null;
  private seen: Interactions | null = null;
  private nItems = 0;
  private dim = 0;

  constructor(
    readonly inner: Recommender,
    config: Partial<AnnConfig> = {},
  ) {
    this.config = resolveConfig('ann', annDefaults, config);
    if (!(Number.isInteger(this.config.candidates) && this.config.candidates > 0)) {
      throw new ConfigError(`ann: candidates must be a positive integer, got ${this.config.candidates}`);
    }
    this.name = `${inner.name}+hnsw`;
    this.params = { ...inner.params, hnsw: this.config };
  }

  get userFactors(): Float32Array | undefined {
    return this.inner.userFactors;
  }

  get itemFactors(): Float32Array | undefined {
    return this.inner.itemFactors;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    await this.inner.fit(train, ctx);
    this.attach(train);
  }

  /**
   * Indexes an already fitted inner model; `seen` (normally the training matrix) is
   * excluded from every answer and fixes nUsers × nItems.
   */
  attach(seen: Interactions): this {
    const { userFactors, itemFactors } = this.inner;
    if (!userFactors || !itemFactors) throw new ModelFitError(`${this.inner.name} exposes no userFactors/itemFactors to index`);
    if (itemFactors.length % seen.nItems !== 0) {
      throw new ModelFitError(`${this.inner.name}: itemFactors has ${itemFactors.length} values, not a multiple of nItems ${seen.nItems}`);
    }
    const dim = itemFactors.length / seen.nItems;
    if (userFactors.length !== seen.nUsers * dim) {
      throw new ModelFitError(`${this.inner.name}: userFactors has ${userFactors.length} values, expected ${seen.nUsers} users × dim ${dim}`);
    }
    this.index = new HnswIndex(this.hnswConfig()).build(itemFactors, dim);
    this.seen = seen;
    this.nItems = seen.nItems;
    this.dim = dim;
    return this;
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const { index, seen } = this.ready();
    const nItems = this.nItems;
    const result = out ?? new Float32Array(users.length * nItems);
    if (result.length !== users.length * nItems) throw new ConfigError(`${this.name}: out has ${result.length} values, expected ${users.length} × ${nItems}`);
    result.fill(-Infinity);
    const k = Math.min(this.config.candidates, nItems);
    const hits = { items: new Int32Array(k), scores: new Float32Array(k), count: 0 };
    for (let b = 0; b < users.length; b++) {
      index.search(this.userVector(users[b]), k, seen.itemsOf(users[b]), hits);
      for (let j = 0; j < hits.count; j++) result[b * nItems + hits.items[j]] = hits.scores[j];
    }
    return result;
  }

  /** Each user's top-k unseen items straight from the index (best first, -1 when short). */
  recommend(users: Int32Array, k: number, exclude: Interactions | undefined = this.seen ?? undefined): TopKResult {
    const { index } = this.ready();
    const items = new Int32Array(users.length * k);
    const scores = new Float32Array(users.length * k);
    const hits = { items: new Int32Array(k), scores: new Float32Array(k), count: 0 };
    for (let b = 0; b < users.length; b++) {
      index.search(this.userVector(users[b]), k, exclude?.itemsOf(users[b]), hits);
      items.set(hits.items, b * k);
      scores.set(hits.scores, b * k);
    }
    return { items, scores, k };
  }

  /**
   * One request through the index: `user`'s best k items, none of them in `exclude` (sorted
   * ascending, e.g. `train.itemsOf(user)`), written into `out` when given (no allocation per call
   * beyond hnswlib's own result arrays).
   */
  recommendOne(user: number, k: number, exclude: Int32Array | undefined, out?: HnswHits): HnswHits {
    const { index } = this.ready();
    return index.search(this.userVector(user), k, exclude, out);
  }

  /** Saves the inner model (its own format, under `model/`), the index and the seen matrix. */
  async save(dir: string): Promise<void> {
    const { index, seen } = this.ready();
    await this.inner.save(join(dir, 'model'));
    await index.save(join(dir, 'hnsw'));
    await saveModelDir(
      dir,
      { kind: 'ann', inner: this.inner.name, config: this.config, userIds: seen.userIds, itemIds: seen.itemIds },
      { seenIndptr: seen.indptr, seenIndices: seen.indices },
    );
  }

  /** Restores a saved AnnRecommender; `innerFactory` loads the wrapped model. */
  static async load(dir: string, innerFactory: Pick<RecommenderFactory, 'load'>): Promise<AnnRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.kind !== 'ann') throw new ConfigError(`${dir} holds a "${String(meta.kind)}" model, not an ann one`);
    const inner = await innerFactory.load(join(dir, 'model'));
    // saved before `space` existed: the index was built in 'ip'
    const config = meta.config as Partial<AnnConfig>;
    const ann = new AnnRecommender(inner, { ...config, space: config.space ?? 'ip' });
    const indptr = arrays.seenIndptr as Int32Array;
    const indices = arrays.seenIndices as Int32Array;
    const seen = new Interactions(indptr, indices, new Float32Array(indices.length).fill(1), meta.userIds as string[], meta.itemIds as string[]);
    ann.index = await HnswIndex.load(join(dir, 'hnsw'));
    ann.seen = seen;
    ann.nItems = seen.nItems;
    ann.dim = ann.index.dim;
    return ann;
  }

  describe(): Record<string, unknown> {
    return { ...(this.inner.describe?.() ?? {}), hnsw: this.config };
  }

  private hnswConfig(): HnswConfig {
    const { m, efConstruction, efSearch, seed, space } = this.config;
    return { m, efConstruction, efSearch, seed, space };
  }

  private userVector(u: number): Float32Array {
    const userFactors = this.inner.userFactors!;
    if (!(u >= 0 && (u + 1) * this.dim <= userFactors.length)) throw new ConfigError(`${this.name}: unknown user index ${u}`);
    return userFactors.subarray(u * this.dim, (u + 1) * this.dim);
  }

  private ready(): { index: HnswIndex; seen: Interactions } {
    if (!this.index || !this.seen) throw new ConfigError(`${this.name}: fit() or attach() before scoring`);
    return { index: this.index, seen: this.seen };
  }
}

/**
 * Registry factory for an HNSW-served variant of a factor model: `create(params)` passes
 * params to the inner model; the HNSW settings are fixed here.
 */
export function annRecommenderFactory<P>(inner: RecommenderFactory<P>, config: Partial<AnnConfig> = {}): RecommenderFactory<P> {
  return {
    name: `${inner.name}+hnsw`,
    create: (params) => new AnnRecommender(inner.create(params), config),
    load: (dir) => AnnRecommender.load(dir, inner),
  };
}
