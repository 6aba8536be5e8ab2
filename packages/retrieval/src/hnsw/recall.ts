import { ConfigError } from '@musicrec/core';
import type { Interactions, TopKResult } from '@musicrec/core';
import { exactTopK } from '../exact/exact-top-k';
import type { HnswIndex } from './hnsw-index';

/**
 * Mean over queries of |approx ∩ exact| / |exact| for two top-k lists of the same queries
 * (row-major, -1 = empty slot, ignored). Queries whose exact list is empty are skipped.
 */
export function recallAtK(approx: Int32Array, exact: Int32Array, k: number): number {
  if (approx.length !== exact.length || exact.length % k !== 0) {
    throw new ConfigError(`recallAtK: lists of ${approx.length} and ${exact.length} entries are not the same nQueries × ${k}`);
  }
  let sum = 0;
  let counted = 0;
  for (let q = 0; q < exact.length / k; q++) {
    let truth = 0;
    let hits = 0;
    for (let a = q * k; a < q * k + k; a++) {
      if (exact[a] < 0) continue;
      truth++;
      for (let b = q * k; b < q * k + k; b++) {
        if (approx[b] === exact[a]) {
          hits++;
          break;
        }
      }
    }
    if (truth === 0) continue;
    sum += hits / truth;
    counted++;
  }
  return counted === 0 ? NaN : sum / counted;
}

/** Top-k of every query through the index, as one row-major list (like `exactTopK`). */
export function hnswTopK(index: HnswIndex, queries: Float32Array, k: number, options: { exclude?: Interactions; users?: Int32Array } = {}): TopKResult {
  const dim = index.dim;
  const nQueries = queries.length / dim;
  const items = new Int32Array(nQueries * k);
  const scores = new Float32Array(nQueries * k);
  const hits = { items: new Int32Array(k), scores: new Float32Array(k), count: 0 };
  for (let q = 0; q < nQueries; q++) {
    const seen = options.exclude?.itemsOf(options.users ? options.users[q] : q);
    index.search(queries.subarray(q * dim, q * dim + dim), k, seen, hits);
    items.set(hits.items, q * k);
    scores.set(hits.scores, q * k);
  }
  return { items, scores, k };
}

/** recall@k of the index against exact search over the same `items` it was built from. */
export function measureRecall(index: HnswIndex, queries: Float32Array, items: Float32Array, k: number, options: { exclude?: Interactions; users?: Int32Array } = {}): number {
  const approx = hnswTopK(index, queries, k, options);
  const exact = exactTopK(queries, items, index.dim, k, options);
  return recallAtK(approx.items, exact.items, k);
}
