import { join } from 'node:path';
// hnswlib-node is CommonJS: take the module object, types separately
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW } from 'hnswlib-node';
import { ConfigError, containsSorted, DataError, loadModelDir, resolveConfig, saveModelDir } from '@musicrec/core';
import { hnswDefaults } from './hnsw-config';
import type { HnswConfig } from './hnsw-config';

const INDEX_FILE = 'index.hnsw';

export interface HnswHits {
  /** Item indices, best first; -1 where fewer than k items were found. */
  items: Int32Array;
  /** Inner products with the query (hnswlib's 'ip' distance is 1 − dot). */
  scores: Float32Array;
  /** Number of real hits (≤ k). */
  count: number;
}

/**
 * Approximate maximum-inner-product search over item factors with hnswlib-node
 * (HierarchicalNSW, 'ip' space). Items are labelled by their row index. Seen items are
 * handled by over-fetching k + |seen| neighbours and dropping the seen ones, so a user gets k
 * unseen items whenever the graph search returns enough.
 *
 * ```ts
 * const index = new HnswIndex({ efSearch: 100 });
 * index.build(model.itemFactors, dim);
 * const { items } = index.search(userVector, 10, train.itemsOf(u));
 * ```
 */
export class HnswIndex {
  readonly config: HnswConfig;
  private index: HierarchicalNSW | null = null;
  private dimension = 0;
  private size = 0;
  // one reusable JS array for queries: hnswlib-node only takes plain arrays
  private queryBuffer: number[] = [];

  constructor(config: Partial<HnswConfig> = {}) {
    this.config = resolveConfig('hnsw', hnswDefaults, config);
    for (const key of ['m', 'efConstruction', 'efSearch'] as const) {
      const v = this.config[key];
      if (!(Number.isInteger(v) && v > 0)) throw new ConfigError(`hnsw: ${key} must be a positive integer, got ${v}`);
    }
  }

  get dim(): number {
    return this.dimension;
  }

  /** Number of indexed items. */
  get count(): number {
    return this.size;
  }

  /** Changes the search-time candidate list size without rebuilding (recall/latency trade-off). */
  setEfSearch(efSearch: number): void {
    if (!(Number.isInteger(efSearch) && efSearch > 0)) throw new ConfigError(`hnsw: efSearch must be a positive integer, got ${efSearch}`);
    this.config.efSearch = efSearch;
    this.index?.setEf(efSearch);
  }

  /** Indexes `itemFactors` (nItems × dim row-major); item i gets label i. Replaces any earlier index. */
  build(itemFactors: Float32Array, dim: number): this {
    if (!(Number.isInteger(dim) && dim > 0) || itemFactors.length % dim !== 0 || itemFactors.length === 0) {
      throw new ConfigError(`hnsw build: ${itemFactors.length} values are not a non-empty multiple of dim ${dim}`);
    }
    const n = itemFactors.length / dim;
    const index = new hnswlib.HierarchicalNSW('ip', dim);
    index.initIndex({ maxElements: n, m: this.config.m, efConstruction: this.config.efConstruction, randomSeed: this.config.seed });
    const point: number[] = new Array(dim);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < dim; f++) point[f] = itemFactors[i * dim + f];
      index.addPoint(point, i);
    }
    index.setEf(this.config.efSearch);
    this.attach(index, dim, n);
    return this;
  }

  /**
   * The k items with the largest inner product with `query` (dim values), leaving out
   * `exclude` (sorted ascending, as a CSR row from `Interactions.itemsOf`). Writes into `out` when given.
   */
  search(query: Float32Array, k: number, exclude?: Int32Array, out?: HnswHits): HnswHits {
    const index = this.requireIndex();
    if (query.length !== this.dimension) throw new ConfigError(`hnsw search: query has ${query.length} values, index dim is ${this.dimension}`);
    const hits = out ?? { items: new Int32Array(k), scores: new Float32Array(k), count: 0 };
    const q = this.queryBuffer;
    for (let f = 0; f < this.dimension; f++) q[f] = query[f];
    const excluded = exclude?.length ?? 0;
    const fetch = Math.min(this.size, k + excluded);
    // ef below the fetch size would cap what the graph search can return
    if (fetch > this.config.efSearch) index.setEf(fetch);
    const { neighbors, distances } = index.searchKnn(q, fetch);
    if (fetch > this.config.efSearch) index.setEf(this.config.efSearch);
    let count = 0;
    for (let j = 0; j < neighbors.length && count < k; j++) {
      const item = neighbors[j];
      if (excluded > 0 && containsSorted(exclude!, item)) continue;
      hits.items[count] = item;
      hits.scores[count] = 1 - distances[j];
      count++;
    }
    for (let j = count; j < k; j++) {
      hits.items[j] = -1;
      hits.scores[j] = -Infinity;
    }
    hits.count = count;
    return hits;
  }

  /** Writes the graph and its settings to `dir`. */
  async save(dir: string): Promise<void> {
    const index = this.requireIndex();
    await saveModelDir(dir, { kind: 'hnsw', config: this.config, dim: this.dimension, count: this.size, file: INDEX_FILE });
    await index.writeIndex(join(dir, INDEX_FILE));
  }

  static async load(dir: string): Promise<HnswIndex> {
    const { meta } = await loadModelDir(dir);
    if (meta.kind !== 'hnsw') throw new DataError(`not an HNSW index (kind ${JSON.stringify(meta.kind)})`, { file: dir, field: 'meta.kind' });
    const result = new HnswIndex(meta.config as HnswConfig);
    const dim = meta.dim as number;
    const index = new hnswlib.HierarchicalNSW('ip', dim);
    try {
      await index.readIndex(join(dir, INDEX_FILE));
    } catch (e) {
      throw new DataError(`cannot read HNSW graph: ${(e as Error).message}`, { file: join(dir, INDEX_FILE) });
    }
    index.setEf(result.config.efSearch);
    result.attach(index, dim, index.getCurrentCount());
    return result;
  }

  private attach(index: HierarchicalNSW, dim: number, count: number): void {
    this.index = index;
    this.dimension = dim;
    this.size = count;
    this.queryBuffer = new Array(dim).fill(0);
  }

  private requireIndex(): HierarchicalNSW {
    if (!this.index) throw new ConfigError('hnsw: build() or load() the index before searching or saving');
    return this.index;
  }
}
