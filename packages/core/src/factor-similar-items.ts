import type { TopKResult } from './recommender';
import { topK } from './topk';

/**
 * The k items whose factor rows have the largest cosine with item `item`'s row (the item
 * itself left out; an all-zero row has cosine 0 with everything). `norms`, when given, are the
 * rows' L2 norms (pass them to avoid recomputing per call; see `rowNorms`).
 */
export function factorSimilarItems(factors: Float32Array, dim: number, item: number, k: number, norms?: Float32Array): TopKResult {
  const n = factors.length / dim;
  if (!(Number.isInteger(item) && item >= 0 && item < n)) throw new RangeError(`similarItems: item index ${item} out of range [0, ${n})`);
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`similarItems: k must be an integer >= 0, got ${k}`);
  const len = norms ?? rowNorms(factors, dim);
  const scores = new Float32Array(n);
  const o = item * dim;
  const ni = len[item];
  for (let j = 0; j < n; j++) {
    let s = 0;
    const p = j * dim;
    for (let d = 0; d < dim; d++) s += factors[o + d] * factors[p + d];
    const denom = ni * len[j];
    scores[j] = denom > 0 ? s / denom : 0;
  }
  const items = new Int32Array(k);
  const out = new Float32Array(k);
  topK(scores, k, items, out, Int32Array.of(item));
  return { items, scores: out, k };
}

/** L2 norm of each row of a row-major n × dim matrix. */
export function rowNorms(factors: Float32Array, dim: number): Float32Array {
  const n = factors.length / dim;
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += factors[j * dim + d] ** 2;
    out[j] = Math.sqrt(s);
  }
  return out;
}
