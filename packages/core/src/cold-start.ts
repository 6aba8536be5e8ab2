import { COLD_START_SCORER } from './abilities';
import type { TopKResult } from './recommender';
import { topK } from './topk';

/**
 * A model that can score the catalogue for someone it was not trained on, from items they
 * like (the serving app's `recommend({ likedItems })` path). Scores are "higher is better"
 * over all items; the liked items themselves are excluded at selection time, not here.
 */
export interface ColdStartScorer {
  readonly [COLD_START_SCORER]: true;
  /**
   * Scores of every item for a basket of item indices, with optional per-item weights
   * (default 1 each). `out`, when given, must have length nItems and is filled and returned.
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array;
}

/** Whether `model` declares `ColdStartScorer` (its brand), not merely a method of that name. */
export function isColdStartScorer(model: unknown): model is ColdStartScorer {
  return typeof model === 'object' && model !== null && (model as Record<symbol, unknown>)[COLD_START_SCORER] === true;
}

export interface RecommendFromLikedOptions {
  /** Per liked item weights (e.g. play counts), same length as the liked items. */
  weights?: Float32Array;
  /** Leave the liked items out of the answer (default true). */
  excludeLiked?: boolean;
  /** Further items never to return (any order). */
  exclude?: Int32Array;
}

/**
 * Top-k items for a user known only by the items they like: one `scoreFromItems` call and a
 * bounded-heap selection (core `topK`), the liked items excluded by default. Returns one row
 * (k slots; -1 / −Infinity where fewer than k candidates remain).
 */
export function recommendFromLiked(
  model: ColdStartScorer,
  likedItems: Int32Array,
  k: number,
  options: RecommendFromLikedOptions = {},
): TopKResult {
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`recommendFromLiked: k must be an integer >= 0, got ${k}`);
  if (options.weights && options.weights.length !== likedItems.length) {
    throw new RangeError(`recommendFromLiked: ${options.weights.length} weights for ${likedItems.length} liked items`);
  }
  const scores = model.scoreFromItems(likedItems, options.weights);
  const excludeLiked = options.excludeLiked ?? true;
  const parts: Int32Array[] = [];
  if (excludeLiked) parts.push(likedItems);
  if (options.exclude) parts.push(options.exclude);
  // topK wants one ascending list (duplicates allowed)
  let exclude: Int32Array | undefined;
  if (parts.length > 0) {
    exclude = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      exclude.set(p, o);
      o += p.length;
    }
    exclude.sort();
  }
  const items = new Int32Array(k);
  const out = new Float32Array(k);
  topK(scores, k, items, out, exclude);
  return { items, scores: out, k };
}
