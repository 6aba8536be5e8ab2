import { ModelFitError, type Interactions } from '@musicrec/core';
import type { IalsWeighting } from './config';

/** implicit's bm25_weight constants, as its Last.fm example uses them. */
export const BM25_K1 = 100;
export const BM25_B = 0.8;

/**
 * Confidence c_ui = 1 + alpha·f(w_ui) for every stored entry of `train`, aligned with
 * `train.indices`. A non-finite confidence (e.g. log1p of a weight ≤ −1) is an error that
 * names the entry, because it would silently turn every factor into NaN.
 */
export function confidenceValues(train: Interactions, weighting: IalsWeighting, alpha: number): Float32Array {
  const weights = weighting === 'bm25' ? bm25Weights(train) : train.values;
  const out = new Float32Array(weights.length);
  for (let u = 0; u < train.nUsers; u++) {
    for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
      const w = weights[k];
      const c = 1 + alpha * (weighting === 'log1p' ? Math.log1p(w) : w);
      if (!Number.isFinite(c)) {
        throw new ModelFitError(
          `ials: confidence of user ${train.userIds[u]} (index ${u}), item ${train.itemIds[train.indices[k]]} ` +
            `(index ${train.indices[k]}) is ${c} from weight ${train.values[k]} with weighting "${weighting}"`,
        );
      }
      out[k] = c;
    }
  }
  return out;
}

/**
 * implicit's `bm25_weight(X, K1=100, B=0.8)` applied, as in its Last.fm example, to the
 * items × users matrix: items are the documents (length = total weight of the item), users
 * the terms (idf = log(nItems) − log1p(number of items of the user)).
 * w' = w·(K1 + 1) / (K1·lengthNorm_i + w) · idf_u. Returned aligned with `train.indices`.
 */
export function bm25Weights(train: Interactions): Float32Array {
  const { nUsers, nItems, indptr, indices, values } = train;
  const lengthNorms = bm25LengthNorms(train);
  const out = new Float32Array(values.length);
  for (let u = 0; u < nUsers; u++) {
    const from = indptr[u];
    const to = indptr[u + 1];
    for (let k = from; k < to; k++) out[k] = bm25Weight(values[k], lengthNorms[indices[k]], to - from, nItems);
  }
  return out;
}

/** Per item: (1 − B) + B·(total weight of the item) / (mean total weight over all items). */
export function bm25LengthNorms(train: Interactions): Float32Array {
  const itemSums = new Float64Array(train.nItems);
  let total = 0;
  for (let k = 0; k < train.values.length; k++) {
    itemSums[train.indices[k]] += train.values[k];
    total += train.values[k];
  }
  const averageLength = total / train.nItems;
  const out = new Float32Array(train.nItems);
  for (let i = 0; i < train.nItems; i++) out[i] = 1 - BM25_B + (BM25_B * itemSums[i]) / averageLength;
  return out;
}

/** BM25 weight of one entry of a user with `userLength` items out of `nItems`. */
export function bm25Weight(w: number, lengthNorm: number, userLength: number, nItems: number): number {
  const idf = Math.log(nItems) - Math.log1p(userLength);
  return ((w * (BM25_K1 + 1)) / (BM25_K1 * lengthNorm + w)) * idf;
}
