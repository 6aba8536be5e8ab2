import type { Catalog } from './catalog';
import type { Dataset } from './dataset';
import type { Interactions } from './interactions';
import type { ProgressListener } from './progress';
import { topK } from './topk';

/** Everything a model may use while fitting besides the training matrix. */
export interface FitContext {
  /** Seed for every stochastic step of this fit. */
  seed: number;
  catalog?: Catalog;
  /** The whole dataset (sequences, social graph); never its test fold. */
  dataset?: Dataset;
  /** Validation interactions for early stopping and tuning (disjoint from train and test). */
  validation?: Interactions;
  onProgress?: ProgressListener;
  /**
   * Validation score (NDCG@10 over `validation`, train items excluded) of the model in its
   * current state, supplied by the harness so iterative models can stop early without
   * importing eval. Absent when there is no validation set.
   */
  validate?: (model: Pick<Recommender, 'scoreUsers'>) => number;
}

/**
 * The contract every recommender follows. Scores are "higher is better" over the whole
 * catalogue; the caller excludes seen items at selection time (see `recommendTopK`).
 */
export interface Recommender {
  /** Registry name, e.g. "item-knn". */
  readonly name: string;
  /** The resolved configuration (defaults filled in); written into the report row. */
  readonly params: Readonly<Record<string, unknown>>;
  fit(train: Interactions, ctx: FitContext): Promise<void>;
  /**
   * Scores of every item for each of `users`, row-major `users.length × nItems`.
   * `out`, when given, must have that length and is filled and returned.
   */
  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array;
  /** Writes everything needed to score again into `dir` (created if missing). */
  save(dir: string): Promise<void>;
  /** Latent factors, row-major, for models that have them (retrieval indexes these). */
  readonly userFactors?: Float32Array;
  readonly itemFactors?: Float32Array;
  /** Extra facts for the report row, e.g. parameters chosen on validation. */
  describe?(): Record<string, unknown>;
}

/** How a registry builds and restores one kind of model. */
export interface RecommenderFactory<P = Record<string, unknown>> {
  readonly name: string;
  create(params?: Partial<P>): Recommender;
  load(dir: string): Promise<Recommender>;
}

export interface TopKResult {
  /** users.length × k item indices, best first; -1 where fewer than k candidates existed. */
  items: Int32Array;
  scores: Float32Array;
  k: number;
}

export interface RecommendOptions {
  /** Items to exclude per user (normally the training matrix). */
  exclude?: Interactions;
  /** Users scored per scoreUsers call; bounds memory at batchSize × nItems floats. */
  batchSize?: number;
}

/** Scores users in batches and keeps each user's top-k, excluding their seen items. */
export function recommendTopK(
  model: Pick<Recommender, 'scoreUsers'>,
  users: Int32Array,
  nItems: number,
  k: number,
  options: RecommendOptions = {},
): TopKResult {
  const batchSize = Math.max(1, options.batchSize ?? 256);
  const items = new Int32Array(users.length * k);
  const scores = new Float32Array(users.length * k);
  const buf = new Float32Array(Math.min(batchSize, users.length) * nItems);
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.subarray(start, Math.min(users.length, start + batchSize));
    const out = model.scoreUsers(batch, buf.subarray(0, batch.length * nItems));
    for (let b = 0; b < batch.length; b++) {
      const row = start + b;
      topK(
        out,
        k,
        items.subarray(row * k, row * k + k),
        scores.subarray(row * k, row * k + k),
        options.exclude?.itemsOf(batch[b]),
        b * nItems,
        nItems,
      );
    }
  }
  return { items, scores, k };
}

/** 0, 1, ..., n-1 as Int32Array. */
export function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
