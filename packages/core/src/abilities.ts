import type { Sequences } from './dataset';
import type { TopKResult } from './recommender';

/**
 * Optional abilities of a model, each a named contract beside `Recommender`. A class declares
 * one with `implements` and the ability's brand (`readonly [SIMILAR_ITEMS] = true`); the guards
 * read only the brand, so a model that happens to have a method of the same name (or one whose
 * method ignores the contract's arguments) is not taken for one that implements it.
 */
export const COLD_START_SCORER: unique symbol = Symbol.for('musicrec.ColdStartScorer');
export const SIMILAR_ITEMS: unique symbol = Symbol.for('musicrec.SimilarItems');
export const EXPLAINER: unique symbol = Symbol.for('musicrec.Explainer');
export const ONNX_EXPORTABLE: unique symbol = Symbol.for('musicrec.OnnxExportable');
export const SEQUENCE_RECOMMENDER: unique symbol = Symbol.for('musicrec.SequenceRecommender');
export const DISPOSABLE: unique symbol = Symbol.for('musicrec.Disposable');
export const REFITTABLE: unique symbol = Symbol.for('musicrec.Refittable');
export const FACTOR_FOLD_IN: unique symbol = Symbol.for('musicrec.FactorFoldIn');

function branded(model: unknown, brand: symbol): boolean {
  return typeof model === 'object' && model !== null && (model as Record<symbol, unknown>)[brand] === true;
}

/** Items most like one item (the "similar songs" list); the item itself is never in its own list. */
export interface SimilarItems {
  readonly [SIMILAR_ITEMS]: true;
  /** Top-k item indices by similarity to `item`, best first (-1 / −Infinity where fewer exist). */
  similarItems(item: number, k: number): TopKResult;
}

/** A liked item that makes a recommended item likely, with their similarity. */
export interface LikedNeighbor {
  item: number;
  similarity: number;
}

/** Why a model scores an item what it does for a user (or for a basket of liked items). */
export interface Explanation {
  /** The item's score, the same value the model's scoring gives it. */
  score: number;
  /**
   * Additive parts of `score` (they sum to it up to float rounding), by component: a member's name
   * ('cf', 'content', ... in the ensemble), or, for a model whose score is a sum over the liked
   * items (item-kNN: weight × similarity of each liked neighbour), the liked item's index as a
   * decimal string. `{}` when the model has no parts.
   */
  contributions: Record<string, number>;
  /** The user's liked items most similar to the item, most similar first (a few, positive similarities only). */
  nearestLikedItems: LikedNeighbor[];
  /** Model-specific facts (bucket, stage, candidate rank, ...). */
  details: Record<string, unknown>;
}

export interface Explainer {
  readonly [EXPLAINER]: true;
  /** Why `item` scores what it does for training user `user`. */
  explain(user: number, item: number): Explanation;
  /** The same for someone known only by the items they like (cold start). */
  explainFromItems(items: Int32Array, item: number, weights?: Float32Array): Explanation;
}

/**
 * A neural model whose scoring exports to ONNX: one int64 input (`user` [batch] for user models;
 * history windows [batch, maxLen] for a SequenceRecommender) → `scores` float32 [batch, nItems].
 */
export interface OnnxExportable {
  readonly [ONNX_EXPORTABLE]: true;
  toOnnx(): Uint8Array;
}

/** A next-item model: scores after each user's time-ordered history. */
export interface SequenceRecommender {
  readonly [SEQUENCE_RECOMMENDER]: true;
  /** Scores of every item after each listed user's history in `sequences`, row-major users.length × nItems. */
  scoreFrom(sequences: Sequences, users: Int32Array, out?: Float32Array): Float32Array;
  /** The sequences `scoreUsers` continues (the training histories unless replaced). */
  setScoringSequences(sequences: Sequences): void;
  /** A user's input window as the model (and its ONNX graph) reads it: fixed length, left-padded ids. */
  historyWindow(user: number): BigInt64Array;
}

/** A model that holds resources outside the JS heap (TF.js tensors, sessions): release them when done. */
export interface Disposable {
  readonly [DISPOSABLE]: true;
  dispose(): void;
}

/**
 * A model that chooses some of its settings while fitting on validation (an early-stopping
 * epoch, tuned blend weights): `refitParams()` returns them as params, so a refit on
 * train ∪ validation, where no validation fold is left, reproduces the choice.
 */
export interface Refittable {
  readonly [REFITTABLE]: true;
  /** Params the last fit chose on validation; `{}` when it had no validation set. */
  refitParams(): Record<string, unknown>;
}

/**
 * A factor model whose scores are exactly `userFactors[u] · itemFactors[i]` (no bias outside the
 * factors), so its items can be searched by inner product (HNSW), and which solves the factor
 * row of a user it was not trained on from that user's items (the iALS user half-step).
 */
export interface FactorFoldIn {
  readonly [FACTOR_FOLD_IN]: true;
  /** Factors per user / item. */
  readonly factors: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  /** The factor row of someone who interacted with `items` (optional per-item weights). */
  foldInUser(items: Int32Array, weights?: Float32Array): Float32Array;
}

export const isFactorFoldIn = (m: unknown): m is FactorFoldIn => branded(m, FACTOR_FOLD_IN);
export const isSimilarItems = (m: unknown): m is SimilarItems => branded(m, SIMILAR_ITEMS);
export const isExplainer = (m: unknown): m is Explainer => branded(m, EXPLAINER);
export const isOnnxExportable = (m: unknown): m is OnnxExportable => branded(m, ONNX_EXPORTABLE);
export const isSequenceRecommender = (m: unknown): m is SequenceRecommender => branded(m, SEQUENCE_RECOMMENDER);
export const isDisposable = (m: unknown): m is Disposable => branded(m, DISPOSABLE);
export const isRefittable = (m: unknown): m is Refittable => branded(m, REFITTABLE);
