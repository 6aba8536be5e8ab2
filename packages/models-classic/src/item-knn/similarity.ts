import { topK, type ProgressListener } from '@musicrec/core';

/**
 * Sparse item × item similarity in CSR form. Row i holds i's kept neighbours (never i itself),
 * best first: similarity descending, ties to the lower item index.
 */
export interface ItemSimilarity {
  readonly nItems: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface ItemSimilarityOptions {
  /** Neighbours kept per item; 0 keeps every item with a non-empty co-occurrence. */
  neighbors: number;
  shrinkage: number;
  normalize: boolean;
  onProgress?: ProgressListener;
}

/** Items between progress reports. */
const PROGRESS_EVERY = 2048;

/**
 * Cosine (or dot-product) similarity between the item columns of a weighted user × item
 * matrix, pruned to each item's top `neighbors`:
 *   sim(i, j) = x_i · x_j / (‖x_i‖ ‖x_j‖ + shrinkage)      (normalize)
 *   sim(i, j) = x_i · x_j                                   (not normalize)
 * For each item i the dot products with all co-occurring items are accumulated in a dense
 * float64 row plus a touched list (cost Σ_u |items(u)|², no item × item matrix), then the
 * touched entries go through core `topK`. The touched list is sorted first so that ties
 * are broken by the lower item index, independent of the order users were visited.
 */
export function itemSimilarity(
  userItems: { nUsers: number; nItems: number; indptr: Int32Array; indices: Int32Array; values: Float32Array },
  itemUsers: { indptr: Int32Array; indices: Int32Array; values: Float32Array },
  options: ItemSimilarityOptions,
): ItemSimilarity {
  const { nItems } = userItems;
  const { indptr: uPtr, indices: uIdx, values: uVal } = userItems;
  const { indptr: iPtr, indices: iIdx, values: iVal } = itemUsers;
  const norms = new Float64Array(nItems);
  if (options.normalize) {
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let p = iPtr[i]; p < iPtr[i + 1]; p++) s += iVal[p] * iVal[p];
      norms[i] = Math.sqrt(s);
    }
  }
  const acc = new Float64Array(nItems);
  const touchedMark = new Uint8Array(nItems);
  const touched = new Int32Array(nItems);
  const candidates = new Float32Array(nItems);
  const keptPos = new Int32Array(nItems);
  const keptSim = new Float32Array(nItems);

  const indptr = new Int32Array(nItems + 1);
  let capacity = Math.max(1024, Math.min(nItems * (options.neighbors || nItems), userItems.indices.length * 4));
  let indices = new Int32Array(capacity);
  let values = new Float32Array(capacity);
  let nnz = 0;

  for (let i = 0; i < nItems; i++) {
    let nTouched = 0;
    for (let p = iPtr[i]; p < iPtr[i + 1]; p++) {
      const u = iIdx[p];
      const a = iVal[p];
      for (let q = uPtr[u]; q < uPtr[u + 1]; q++) {
        const j = uIdx[q];
        if (j === i) continue;
        if (touchedMark[j] === 0) {
          touchedMark[j] = 1;
          touched[nTouched++] = j;
        }
        acc[j] += a * uVal[q];
      }
    }
    const list = touched.subarray(0, nTouched);
    list.sort();
    const normI = norms[i];
    for (let t = 0; t < nTouched; t++) {
      const j = list[t];
      if (options.normalize) {
        const denominator = normI * norms[j] + options.shrinkage;
        // an all-zero column (zero weights) has no direction: no similarity rather than NaN
        candidates[t] = denominator > 0 ? acc[j] / denominator : Number.NaN;
      } else {
        candidates[t] = acc[j];
      }
      acc[j] = 0;
      touchedMark[j] = 0;
    }
    const k = options.neighbors === 0 ? nTouched : Math.min(options.neighbors, nTouched);
    const kept = topK(candidates, k, keptPos, keptSim, undefined, 0, nTouched);
    if (nnz + kept > capacity) {
      capacity = Math.max(capacity * 2, nnz + kept);
      indices = grow(indices, new Int32Array(capacity), nnz);
      values = grow(values, new Float32Array(capacity), nnz);
    }
    for (let r = 0; r < kept; r++) {
      indices[nnz] = list[keptPos[r]];
      values[nnz] = keptSim[r];
      nnz++;
    }
    indptr[i + 1] = nnz;
    if (options.onProgress && ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === nItems)) {
      options.onProgress({ stage: 'fit item-knn', current: i + 1, total: nItems });
    }
  }
  return { nItems, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T, used: number): T {
  to.set(from.subarray(0, used));
  return to;
}
