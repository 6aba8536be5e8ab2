import { DataError, type Interactions, type StoredArray } from '@musicrec/core';
import type { ContentKnnRecommender } from '../content-knn';

/**
 * For each cold item (no training interaction), its nearest warm items by content and the
 * weights that impute its score from theirs: weights[p] = sim(i, j_p) / Σ_q sim(i, j_q) over
 * its top-k warm neighbours with positive similarity. CSR over `coldItems` (sorted).
 */
export interface ColdItemImputation {
  readonly nItems: number;
  readonly coldItems: Int32Array;
  readonly indptr: Int32Array;
  readonly neighbors: Int32Array;
  readonly weights: Float32Array;
}

/** The items with no interaction in `train`, ascending. */
export function coldItemsOf(train: Interactions): Int32Array {
  const count = new Int32Array(train.nItems);
  for (let p = 0; p < train.nnz; p++) count[train.indices[p]]++;
  const cold: number[] = [];
  for (let i = 0; i < train.nItems; i++) if (count[i] === 0) cold.push(i);
  return Int32Array.from(cold);
}

/**
 * Why impute instead of routing cold items to the content member alone: a collaborative
 * member (and popularity) scores an unplayed item at its prior (0 for factor models, whose
 * unplayed items keep zero factors), which sinks it below everything it has seen. Replacing
 * that score by the similarity-weighted mean of the member's own scores on the item's nearest
 * played items keeps the score on the member's scale, so normalisation, tuned weights and
 * `explain` work unchanged; for a factor model it is exactly the score of the item given the
 * weighted mean of its neighbours' factors. A cold item whose only positive-similarity played
 * neighbour is j gets j's score. Cold items without content, or with no played item of
 * positive similarity, keep the member's score.
 */
export function buildColdItemImputation(content: ContentKnnRecommender, train: Interactions, k: number): ColdItemImputation {
  const coldItems = coldItemsOf(train);
  const warm = new Uint8Array(train.nItems).fill(1);
  for (const i of coldItems) warm[i] = 0;
  const nbrs = content.neighborsAmong(coldItems, warm, k);
  const weights = new Float32Array(nbrs.values.length);
  for (let r = 0; r < coldItems.length; r++) {
    let sum = 0;
    for (let p = nbrs.indptr[r]; p < nbrs.indptr[r + 1]; p++) sum += nbrs.values[p];
    for (let p = nbrs.indptr[r]; p < nbrs.indptr[r + 1]; p++) weights[p] = nbrs.values[p] / sum;
  }
  return { nItems: train.nItems, coldItems, indptr: nbrs.indptr, neighbors: nbrs.indices, weights };
}

/** An imputation that changes nothing (no content, or imputation switched off). */
export function noColdItemImputation(nItems: number): ColdItemImputation {
  return { nItems, coldItems: new Int32Array(0), indptr: new Int32Array(1), neighbors: new Int32Array(0), weights: new Float32Array(0) };
}

/**
 * scores[off + i] = Σ_p weights[p] · scores[off + neighbors[p]] for every cold item i with
 * neighbours (summed in float64); with `share` < 1, (1 − share) · own score + share · that.
 * Neighbours are warm, so the order of the cold items does not matter.
 */
export function imputeColdScores(imp: ColdItemImputation, scores: Float32Array, off: number, share = 1): void {
  if (share === 0) return;
  const { coldItems, indptr, neighbors, weights } = imp;
  for (let r = 0; r < coldItems.length; r++) {
    if (indptr[r] === indptr[r + 1]) continue;
    let s = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) s += weights[p] * scores[off + neighbors[p]];
    const i = off + coldItems[r];
    scores[i] = share === 1 ? s : (1 - share) * scores[i] + share * s;
  }
}

/** Whether the imputation changes any score at all. */
export function hasColdItemImputation(imp: ColdItemImputation): boolean {
  return imp.indptr[imp.coldItems.length] > 0;
}

/** The imputation's neighbours of `item` with their weights (empty when the item is warm or has none). */
export function imputedFrom(imp: ColdItemImputation, item: number): { item: number; weight: number }[] {
  let lo = 0;
  let hi = imp.coldItems.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (imp.coldItems[mid] < item) lo = mid + 1;
    else hi = mid;
  }
  if (imp.coldItems[lo] !== item) return [];
  const out: { item: number; weight: number }[] = [];
  for (let p = imp.indptr[lo]; p < imp.indptr[lo + 1]; p++) out.push({ item: imp.neighbors[p], weight: imp.weights[p] });
  return out;
}

/** The arrays `saveModelDir` stores an imputation under. */
export function coldItemArrays(imp: ColdItemImputation): Record<string, StoredArray> {
  return { coldItems: imp.coldItems, coldIndptr: imp.indptr, coldNeighbors: imp.neighbors, coldWeights: imp.weights };
}

/**
 * The imputation saved by `coldItemArrays`, checked against `nItems`; a model saved before
 * imputation existed (none of the arrays) gets one that changes nothing.
 */
export function loadColdItemImputation(arrays: Record<string, StoredArray>, nItems: number, dir: string): ColdItemImputation {
  const { coldItems, coldIndptr, coldNeighbors, coldWeights } = arrays;
  if (coldItems === undefined && coldIndptr === undefined && coldNeighbors === undefined && coldWeights === undefined) {
    return noColdItemImputation(nItems);
  }
  if (!(coldItems instanceof Int32Array) || !(coldIndptr instanceof Int32Array) || !(coldNeighbors instanceof Int32Array) || !(coldWeights instanceof Float32Array)) {
    throw new DataError('cold-item imputation needs int32 coldItems, coldIndptr, coldNeighbors and float32 coldWeights', { file: dir, field: 'arrays.coldItems' });
  }
  if (coldIndptr.length !== coldItems.length + 1 || coldIndptr[coldItems.length] !== coldNeighbors.length || coldWeights.length !== coldNeighbors.length) {
    throw new DataError(`inconsistent cold-item CSR: ${coldItems.length} items, indptr length ${coldIndptr.length}, ${coldNeighbors.length} neighbours`, {
      file: dir,
      field: 'arrays.coldIndptr',
    });
  }
  for (const i of [...coldItems, ...coldNeighbors]) {
    if (!(i >= 0 && i < nItems)) throw new DataError(`cold-item index ${i} out of range [0, ${nItems})`, { file: dir, field: 'arrays.coldNeighbors' });
  }
  return { nItems, coldItems, indptr: coldIndptr, neighbors: coldNeighbors, weights: coldWeights };
}
