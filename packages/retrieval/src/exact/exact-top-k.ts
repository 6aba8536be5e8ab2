import { ConfigError, topK } from '@musicrec/core';
import type { Interactions, TopKResult } from '@musicrec/core';

export interface ExactTopKOptions {
  /** Seen items to leave out, looked up per query through `users` (or the query's row index). */
  exclude?: Interactions;
  /** users[q] is query q's row in `exclude`; default q itself. */
  users?: Int32Array;
  /** Queries scored together; each item row is read once per block (cache reuse). Default 32. */
  blockSize?: number;
}

/**
 * Exact maximum-inner-product top-k: every query (row of `queries`, nQueries × dim) against
 * every item (row of `items`, nItems × dim), blocked so an item vector is loaded once per
 * block of queries, and selected with core `topK` (bounded heap, ties to the lower index,
 * seen items excluded). The reference answer that `HnswIndex` is measured against.
 */
export function exactTopK(queries: Float32Array, items: Float32Array, dim: number, k: number, options: ExactTopKOptions = {}): TopKResult {
  if (!(Number.isInteger(dim) && dim > 0)) throw new ConfigError(`exactTopK: dim must be a positive integer, got ${dim}`);
  if (queries.length % dim !== 0 || items.length % dim !== 0) {
    throw new ConfigError(`exactTopK: queries (${queries.length}) and items (${items.length}) must both be multiples of dim ${dim}`);
  }
  const nQueries = queries.length / dim;
  const nItems = items.length / dim;
  const { exclude, users } = options;
  if (users && users.length !== nQueries) throw new ConfigError(`exactTopK: users has ${users.length} entries for ${nQueries} queries`);
  if (exclude && exclude.nItems !== nItems) throw new ConfigError(`exactTopK: exclude has ${exclude.nItems} items, the item matrix ${nItems}`);
  const blockSize = Math.max(1, options.blockSize ?? 32);
  const outItems = new Int32Array(nQueries * k);
  const outScores = new Float32Array(nQueries * k);
  const scores = new Float32Array(Math.min(blockSize, nQueries) * nItems);

  for (let start = 0; start < nQueries; start += blockSize) {
    const end = Math.min(nQueries, start + blockSize);
    const rows = end - start;
    for (let i = 0; i < nItems; i++) {
      const io = i * dim;
      for (let r = 0; r < rows; r++) {
        const qo = (start + r) * dim;
        let s = 0;
        for (let f = 0; f < dim; f++) s += queries[qo + f] * items[io + f];
        scores[r * nItems + i] = s;
      }
    }
    for (let r = 0; r < rows; r++) {
      const q = start + r;
      const seen = exclude ? exclude.itemsOf(users ? users[q] : q) : undefined;
      topK(scores, k, outItems.subarray(q * k, q * k + k), outScores.subarray(q * k, q * k + k), seen, r * nItems, nItems);
    }
  }
  return { items: outItems, scores: outScores, k };
}
