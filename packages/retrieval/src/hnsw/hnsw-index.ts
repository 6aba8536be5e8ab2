import { join } from 'node:path';
// hnswlib-node is CommonJS: take the module object, types separately
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW } from 'hnswlib-node';
import { ConfigError, containsSorted, DataError, loadModelDir, resolveConfig, saveModelDir } from '@musicrec/core';
import { HNSW_SPACES, hnswDefaults } from './hnsw-config';
import type { HnswConfig, HnswSpace } from './hnsw-config';

const INDEX_FILE = 'index.hnsw';

export interface HnswHits {
  /** Item indices, best first; -1 where fewer than k items were found. */
  items: Int32Array;
  /** Inner products with the query (from hnswlib's 'ip' distance 1 − dot, or recomputed under 'mips-l2'). */
  scores: Float32Array;
  /** Number of real hits (≤ k). */
  count: number;
}

/**
 * Approximate maximum-inner-product search over item factors with hnswlib-node
 * (HierarchicalNSW), in hnswlib's 'ip' space or through the MIPS → L2 transform
 * (`space: 'mips-l2'`, see HnswSpace). Items are labelled by their row index. Seen items are
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
  // one reusable JS array for queries: hnswlib-node only takes plain arrays ('mips-l2': dim + 1, last 0)
  private queryBuffer: number[] = [];
  // 'mips-l2' only: the original item vectors, to report true inner products
  private vectors: Float32Array | null = null;

  constructor(config: Partial<HnswConfig> = {}) {
    this.config = resolveConfig('hnsw', hnswDefaults, config);
    for (const key of ['m', 'efConstruction', 'efSearch'] as const) {
      const v = this.config[key];
      if (!(Number.isInteger(v) && v > 0)) throw new ConfigError(`hnsw: ${key} must be a positive integer, got ${v}`);
    }
    if (!HNSW_SPACES.includes(this.config.space)) {
      throw new ConfigError(`hnsw: space must be one of ${HNSW_SPACES.join(', ')}, got ${JSON.stringify(this.config.space)}`);
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
    const mips = this.config.space === 'mips-l2';
    const index = new hnswlib.HierarchicalNSW(hnswSpaceOf(this.config.space), mips ? dim + 1 : dim);
    index.initIndex({ maxElements: n, m: this.config.m, efConstruction: this.config.efConstruction, randomSeed: this.config.seed });
    const maxSquaredNorm = mips ? largestSquaredNorm(itemFactors, dim) : 0;
    const point: number[] = new Array(mips ? dim + 1 : dim);
    for (let i = 0; i < n; i++) {
      let squared = 0;
      for (let f = 0; f < dim; f++) {
        const x = itemFactors[i * dim + f];
        point[f] = x;
        squared += x * x;
      }
      // every augmented item has norm M, so nearest in L2 = largest inner product
      if (mips) point[dim] = Math.sqrt(Math.max(0, maxSquaredNorm - squared));
      index.addPoint(point, i);
    }
    index.setEf(this.config.efSearch);
    this.attach(index, dim, n, mips ? itemFactors.slice() : null);
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
    const vectors = this.vectors;
    let count = 0;
    for (let j = 0; j < neighbors.length && count < k; j++) {
      const item = neighbors[j];
      if (excluded > 0 && containsSorted(exclude!, item)) continue;
      hits.items[count] = item;
      hits.scores[count] = vectors ? dot(query, vectors, item * this.dimension) : 1 - distances[j];
      count++;
    }
    // 'mips-l2' ranks by ‖q‖² + M² − 2 q·v in float32: put near-ties back in true inner-product order
    if (vectors) sortHitsByScore(hits, count);
    for (let j = count; j < k; j++) {
      hits.items[j] = -1;
      hits.scores[j] = -Infinity;
    }
    hits.count = count;
    return hits;
  }

  /** Writes the graph and its settings to `dir` (the 'mips-l2' item vectors are read back from the graph). */
  async save(dir: string): Promise<void> {
    const index = this.requireIndex();
    await saveModelDir(dir, { kind: 'hnsw', config: this.config, dim: this.dimension, count: this.size, file: INDEX_FILE });
    await index.writeIndex(join(dir, INDEX_FILE));
  }

  static async load(dir: string): Promise<HnswIndex> {
    const { meta } = await loadModelDir(dir);
    if (meta.kind !== 'hnsw') throw new DataError(`not an HNSW index (kind ${JSON.stringify(meta.kind)})`, { file: dir, field: 'meta.kind' });
    // indexes saved before `space` existed were all 'ip'
    const result = new HnswIndex({ ...(meta.config as HnswConfig), space: (meta.config as Partial<HnswConfig>).space ?? 'ip' });
    const dim = meta.dim as number;
    const mips = result.config.space === 'mips-l2';
    const index = new hnswlib.HierarchicalNSW(hnswSpaceOf(result.config.space), mips ? dim + 1 : dim);
    try {
      await index.readIndex(join(dir, INDEX_FILE));
    } catch (e) {
      throw new DataError(`cannot read HNSW graph: ${(e as Error).message}`, { file: join(dir, INDEX_FILE) });
    }
    index.setEf(result.config.efSearch);
    const count = index.getCurrentCount();
    let vectors: Float32Array | null = null;
    if (mips) {
      // the graph stores [v, sqrt(M² − ‖v‖²)] as float32: the first dim values are v exactly
      vectors = new Float32Array(count * dim);
      for (let i = 0; i < count; i++) {
        const p = index.getPoint(i);
        for (let f = 0; f < dim; f++) vectors[i * dim + f] = p[f];
      }
    }
    result.attach(index, dim, count, vectors);
    return result;
  }

  private attach(index: HierarchicalNSW, dim: number, count: number, vectors: Float32Array | null): void {
    this.index = index;
    this.dimension = dim;
    this.size = count;
    this.vectors = vectors;
    this.queryBuffer = new Array(vectors ? dim + 1 : dim).fill(0);
  }

  private requireIndex(): HierarchicalNSW {
    if (!this.index) throw new ConfigError('hnsw: build() or load() the index before searching or saving');
    return this.index;
  }
}

function hnswSpaceOf(space: HnswSpace): 'ip' | 'l2' {
  return space === 'mips-l2' ? 'l2' : 'ip';
}

function largestSquaredNorm(vectors: Float32Array, dim: number): number {
  let max = 0;
  for (let o = 0; o < vectors.length; o += dim) {
    let s = 0;
    for (let f = 0; f < dim; f++) s += vectors[o + f] * vectors[o + f];
    if (s > max) max = s;
  }
  return max;
}

function dot(query: Float32Array, vectors: Float32Array, offset: number): number {
  let s = 0;
  for (let f = 0; f < query.length; f++) s += query[f] * vectors[offset + f];
  return s;
}

/** Insertion sort of the first `count` hits by score, best first (count is k: small). */
function sortHitsByScore(hits: HnswHits, count: number): void {
  const { items, scores } = hits;
  for (let a = 1; a < count; a++) {
    const item = items[a];
    const score = scores[a];
    let b = a - 1;
    while (b >= 0 && scores[b] < score) {
      items[b + 1] = items[b];
      scores[b + 1] = scores[b];
      b--;
    }
    items[b + 1] = item;
    scores[b + 1] = score;
  }
}
