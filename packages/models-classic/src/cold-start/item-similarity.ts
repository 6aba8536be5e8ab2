import type { LikedNeighbor, Recommender } from '@musicrec/core';
import { ContentKnnRecommender } from '../content-knn';
import { ItemKnnRecommender } from '../item-knn';

/** Similarity between two items (higher = more alike); 0 when the model knows no link. */
export type ItemSimilarityFn = (i: number, j: number) => number;

/**
 * The item-item similarity a fitted model offers, for explanations: content-kNN's content
 * cosine, item-kNN's kept neighbour similarity (0 outside the pruned lists), or the cosine
 * of the item factors of a latent model. null when the model has none of these.
 */
export function itemSimilarityOf(model: Recommender, nItems: number): ItemSimilarityFn | null {
  if (model instanceof ContentKnnRecommender) return (i, j) => model.similarity(i, j);
  if (model instanceof ItemKnnRecommender) {
    const { indptr, indices, values } = model.similarity;
    return (i, j) => {
      for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] === j) return values[p];
      return 0;
    };
  }
  const factors = model.itemFactors;
  if (factors && factors.length > 0 && nItems > 0) {
    const f = factors.length / nItems;
    return (i, j) => {
      let dot = 0;
      let ni = 0;
      let nj = 0;
      for (let d = 0; d < f; d++) {
        const a = factors[i * f + d];
        const b = factors[j * f + d];
        dot += a * b;
        ni += a * a;
        nj += b * b;
      }
      return ni > 0 && nj > 0 ? dot / Math.sqrt(ni * nj) : 0;
    };
  }
  return null;
}

/** core's `LikedNeighbor` (the Explanation contract's type), re-exported where it always was. */
export type { LikedNeighbor };

/**
 * The `k` liked items most similar to `item` (never `item` itself), best first, ties to the
 * lower index: "recommended because you liked …". Only items with a positive similarity count.
 */
export function nearestLikedItems(liked: Int32Array, item: number, similarity: ItemSimilarityFn, k = 3): LikedNeighbor[] {
  const found: LikedNeighbor[] = [];
  for (const j of liked) {
    if (j === item) continue;
    const s = similarity(item, j);
    if (s > 0) found.push({ item: j, similarity: s });
  }
  found.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
  return found.slice(0, k);
}
