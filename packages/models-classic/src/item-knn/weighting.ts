import { Interactions, ModelFitError } from '@musicrec/core';
import type { ItemKnnConfig } from './config';

/**
 * BM25 weights as `implicit.nearest_neighbours.bm25_weight` computes them over the item × user
 * matrix (items are the "documents", users the "terms"), returned in the user × item layout:
 *   idf(u)  = ln(nItems) − ln(1 + number of items of u)
 *   norm(i) = (1 − B) + B · rowSum(i) / mean_i rowSum(i)      (rowSum over the item's values)
 *   w(u, i) = x · (K1 + 1) / (K1 · norm(i) + x) · idf(u)
 */
export function bm25Weight(userItems: Interactions, k1: number, b: number): Interactions {
  const { nUsers, nItems } = userItems;
  const rowSum = new Float64Array(nItems);
  const idx = userItems.indices;
  const val = userItems.values;
  let total = 0;
  for (let k = 0; k < idx.length; k++) {
    rowSum[idx[k]] += val[k];
    total += val[k];
  }
  const meanLength = total / nItems;
  const logItems = Math.log(nItems);
  const weights = new Float32Array(idx.length);
  for (let u = 0; u < nUsers; u++) {
    const start = userItems.indptr[u];
    const end = userItems.indptr[u + 1];
    const idf = logItems - Math.log1p(end - start);
    for (let k = start; k < end; k++) {
      const x = val[k];
      const lengthNorm = 1 - b + (b * rowSum[idx[k]]) / meanLength;
      weights[k] = ((x * (k1 + 1)) / (k1 * lengthNorm + x)) * idf;
    }
  }
  return new Interactions(userItems.indptr, idx, weights, userItems.userIds, userItems.itemIds, userItems.timestamps);
}

/** The user × item matrix whose item columns are compared, after the configured weighting. */
export function weightInteractions(train: Interactions, config: ItemKnnConfig): Interactions {
  let weighted: Interactions;
  switch (config.weighting) {
    case 'binary':
      weighted = train.binarize();
      break;
    case 'log':
      weighted = train.mapValues(Math.log1p);
      break;
    case 'bm25':
      weighted = bm25Weight(train, config.bm25K1, config.bm25B);
      break;
    case 'none':
      weighted = train;
      break;
  }
  const w = weighted.values;
  for (let k = 0; k < w.length; k++) {
    if (!Number.isFinite(w[k])) {
      const u = userOfEntry(train.indptr, k);
      throw new ModelFitError(
        `item-knn: weighting "${config.weighting}" gives a non-finite weight for user ${train.userIds[u]}, ` +
          `item ${train.itemIds[train.indices[k]]} (value ${train.values[k]})`,
      );
    }
  }
  return weighted;
}

function userOfEntry(indptr: Int32Array, k: number): number {
  let lo = 0;
  let hi = indptr.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (indptr[mid] <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
