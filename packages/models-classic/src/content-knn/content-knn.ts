import {
  ConfigError,
  DataError,
  ModelFitError,
  loadModelDir,
  saveModelDir,
  topK,
  type FitContext,
  type Interactions,
  type Recommender,
  type StoredArray,
  type TopKResult,
} from '@musicrec/core';
import { COLD_START_SCORER, SIMILAR_ITEMS } from '@musicrec/core';
import type { ColdStartScorer, SimilarItems } from '@musicrec/core';
import { RESOLVED_CONTENT_SOURCES, blocksOf, resolveContentKnnConfig, type ContentKnnConfig, type ContentKnnOptions } from './config';
import { contentNeighbors, neighborsAmong, similarityBlock, type ContentNeighbors } from './content-neighbors';
import {
  buildContentVectors,
  resolveContentSource,
  sparsePostings,
  type ContentVectors,
  type ResolvedContentSource,
  type SparsePostings,
} from './content-vectors';
import { denseScoresInto } from './dense-similarity';

/**
 * Score of an item that has no content vector (no audio profile, no tags, no artist):
 * −FLT_MAX, below every real score (cosines are in [−1, 1], knn-sums bounded by the basket
 * size) so such items rank last instead of tying with real candidates, yet finite, so
 * sums, min–max normalisation (MMR) and the finite-score checks stay well defined.
 */
export const NO_CONTENT_SCORE = -3.4028234663852886e38;

interface UserHistory {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
}


/**
 * Content-based k-nearest-neighbours: items are unit vectors built from the catalog
 * (z-scored audio features, tag TF-IDF, artist identity, blended by `shares`), item-item
 * similarity is their weighted cosine, and
 * a user is scored from their training items either through the items' exact top-k
 * content neighbours ('knn-sum') or by cosine to their mean vector ('mean'). Needs no
 * plays for an item to be recommended or found similar (item cold start).
 */
export class ContentKnnRecommender implements Recommender, ColdStartScorer, SimilarItems {
  readonly name = 'content-knn';
  readonly [COLD_START_SCORER] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly params: Readonly<ContentKnnConfig>;
  private source: ResolvedContentSource = 'audio';
  private vecs: ContentVectors | null = null;
  private postings: SparsePostings = { indptr: new Int32Array(1), items: new Int32Array(0), values: new Float32Array(0) };
  private nbrs: ContentNeighbors = { nItems: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };
  private history: UserHistory = { indptr: new Int32Array(1), indices: new Int32Array(0), weights: new Float32Array(0) };
  /** Scratch for the 'mean' profile: the basket's tag weights and which tags it touched. */
  private sparseProfile = new Float64Array(0);
  private sparseTouched = new Uint8Array(0);

  constructor(params: ContentKnnOptions = {}) {
    this.params = resolveContentKnnConfig(params);
  }

  get nUsers(): number {
    return this.history.indptr.length - 1;
  }

  get nItems(): number {
    return this.vecs ? this.vecs.nItems : 0;
  }

  /** The unit item vectors (do not modify). */
  get vectors(): ContentVectors {
    return this.requireFitted('vectors');
  }

  /** Each item's kept neighbours, rows best-first (do not modify). */
  get neighbors(): ContentNeighbors {
    this.requireFitted('neighbors');
    return this.nbrs;
  }

  /**
   * Fits on `ctx.catalog` (else `ctx.dataset.catalog`); the training matrix only supplies
   * each user's items. Throws DataError naming the catalog field that is missing.
   */
  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    const catalog = ctx.catalog ?? ctx.dataset?.catalog;
    if (!catalog) throw new DataError('content-knn: fit needs a catalog with audio features or tags', { field: 'ctx.catalog' });
    this.source = resolveContentSource(this.params.source, catalog);
    if (blocksOf(this.source).every((b) => this.params.shares[b] === 0)) {
      throw new ConfigError(`content-knn: every block of source "${this.source}" has share 0 (shares ${JSON.stringify(this.params.shares)})`);
    }
    const vecs = buildContentVectors(catalog, this.source, this.params.shares, train.nItems);
    let nPresent = 0;
    for (let i = 0; i < vecs.nItems; i++) nPresent += vecs.present[i];
    if (nPresent === 0) throw new ModelFitError(`content-knn: no item has ${this.source} content`);
    this.setVectors(vecs);
    // 'mean' scoring never reads the neighbour lists, and similarItems computes rows exactly without them
    this.nbrs =
      this.params.profile === 'knn-sum'
        ? contentNeighbors(vecs, this.postings, this.params.neighbors, ctx.onProgress)
        : { nItems: vecs.nItems, indptr: new Int32Array(vecs.nItems + 1), indices: new Int32Array(0), values: new Float32Array(0) };
    const weights = new Float32Array(train.nnz);
    for (let p = 0; p < weights.length; p++) weights[p] = this.params.userWeighting === 'log' ? Math.log1p(train.values[p]) : 1;
    this.history = { indptr: train.indptr, indices: train.indices, weights };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const n = this.requireFitted('scoreUsers').nItems;
    const scores = out ?? new Float32Array(users.length * n);
    if (scores.length !== users.length * n) {
      throw new RangeError(`content-knn: out has length ${scores.length}, expected ${users.length} × ${n}`);
    }
    const { indptr, indices, weights } = this.history;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`content-knn: user index ${u} out of range [0, ${this.nUsers})`);
      this.scoreBasket(indices, weights, indptr[u], indptr[u + 1], scores, b * n);
    }
    return scores;
  }

  /**
   * Scores for a user who is not in the training data, from items they like (cold start):
   * the same profile as `scoreUsers`, with `weights` (default 1 each) as the item weights.
   * Exclude the basket at selection time (core `topK` with the sorted basket as `exclude`).
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    const n = this.requireFitted('scoreFromItems').nItems;
    if (weights && weights.length !== items.length) throw new RangeError(`content-knn: ${weights.length} weights for ${items.length} items`);
    for (let q = 0; q < items.length; q++) {
      if (!(items[q] >= 0 && items[q] < n)) throw new RangeError(`content-knn: item index ${items[q]} out of range [0, ${n})`);
    }
    const scores = out ?? new Float32Array(n);
    if (scores.length !== n) throw new RangeError(`content-knn: out has length ${scores.length}, expected ${n}`);
    this.scoreBasket(items, weights ?? new Float32Array(items.length).fill(1), 0, items.length, scores, 0);
    return scores;
  }

  /**
   * The k items most similar to `item` by cosine (never itself, never an item without
   * content), best first, exact over the whole catalogue whatever `neighbors` is; -1 /
   * −Infinity past the last candidate. Works for items nobody played.
   */
  similarItems(item: number, k: number): TopKResult {
    const v = this.requireFitted('similarItems');
    if (!(item >= 0 && item < v.nItems)) throw new RangeError(`content-knn: item index ${item} out of range [0, ${v.nItems})`);
    if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`content-knn: k must be an integer >= 0, got ${k}`);
    const items = new Int32Array(k).fill(-1);
    const scores = new Float32Array(k).fill(-Infinity);
    if (!v.present[item]) return { items, scores, k };
    const start = this.nbrs.indptr[item];
    const kept = this.nbrs.indptr[item + 1] - start;
    if (k <= kept) {
      // rows are exact top-`neighbors` lists, so a shorter answer is their prefix
      items.set(this.nbrs.indices.subarray(start, start + k));
      scores.set(this.nbrs.values.subarray(start, start + k));
      return { items, scores, k };
    }
    const row = new Float32Array(v.nItems);
    similarityBlock(v, this.postings, item, item + 1, row);
    row[item] = Number.NaN;
    for (let j = 0; j < v.nItems; j++) if (!v.present[j]) row[j] = Number.NaN;
    topK(row, k, items, scores);
    return { items, scores, k };
  }

  /**
   * Each of `items`' `k` most similar items among those with `allowed[j] = 1`, positive
   * similarities only, best first: CSR whose row r belongs to items[r] (e.g. unplayed items'
   * nearest played ones).
   */
  neighborsAmong(items: Int32Array, allowed: Uint8Array, k: number): ContentNeighbors {
    const v = this.requireFitted('neighborsAmong');
    if (allowed.length !== v.nItems) throw new RangeError(`content-knn: allowed has length ${allowed.length}, expected ${v.nItems}`);
    for (const i of items) if (!(i >= 0 && i < v.nItems)) throw new RangeError(`content-knn: item index ${i} out of range [0, ${v.nItems})`);
    return neighborsAmong(v, this.postings, items, allowed, k);
  }

  /** Cosine between items i and j (0 when either has no content): the similarity MMR and diversity need. */
  similarity(i: number, j: number): number {
    const v = this.requireFitted('similarity');
    let s = 0;
    for (let d = 0; d < v.dim; d++) s += v.dense[i * v.dim + d] * v.dense[j * v.dim + d];
    for (let p = v.sparseIndptr[i]; p < v.sparseIndptr[i + 1]; p++) {
      const t = v.sparseIndices[p];
      for (let q = v.sparseIndptr[j]; q < v.sparseIndptr[j + 1]; q++) if (v.sparseIndices[q] === t) s += v.sparseValues[p] * v.sparseValues[q];
    }
    return s;
  }

  describe(): Record<string, unknown> {
    return { source: this.source, neighborsNnz: this.nbrs.indptr[this.nbrs.nItems], ...(this.vecs ? { artists: this.vecs.nArtists } : {}) };
  }

  async save(dir: string): Promise<void> {
    const v = this.requireFitted('save');
    await saveModelDir(
      dir,
      {
        model: this.name,
        params: this.params,
        source: this.source,
        nUsers: this.nUsers,
        nItems: v.nItems,
        dim: v.dim,
        nTags: v.nTags,
        nArtists: v.nArtists,
      },
      {
        dense: v.dense,
        sparseIndptr: v.sparseIndptr,
        sparseIndices: v.sparseIndices,
        sparseValues: v.sparseValues,
        present: v.present,
        neighborIndptr: this.nbrs.indptr,
        neighborIndices: this.nbrs.indices,
        neighborValues: this.nbrs.values,
        userIndptr: this.history.indptr,
        userIndices: this.history.indices,
        userWeights: this.history.weights,
      },
    );
  }

  static async load(dir: string): Promise<ContentKnnRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'content-knn') {
      throw new DataError(`expected a saved "content-knn" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    if (!RESOLVED_CONTENT_SOURCES.includes(meta.source as ResolvedContentSource)) {
      throw new DataError(`unknown content source ${JSON.stringify(meta.source)}`, { file: dir, field: 'meta.source' });
    }
    const nUsers = nonNegativeInteger(meta.nUsers, dir, 'meta.nUsers');
    const nItems = nonNegativeInteger(meta.nItems, dir, 'meta.nItems');
    const dim = nonNegativeInteger(meta.dim, dir, 'meta.dim');
    const nTags = nonNegativeInteger(meta.nTags, dir, 'meta.nTags');
    // models saved before the artist block have no nArtists and their sparse arrays named tag*
    const nArtists = meta.nArtists === undefined ? 0 : nonNegativeInteger(meta.nArtists, dir, 'meta.nArtists');
    const legacy = meta.nArtists === undefined;
    const dense = typed(arrays, 'dense', Float32Array, dir);
    if (dense.length !== nItems * dim) {
      throw new DataError(`dense vectors have ${dense.length} values, expected ${nItems} × ${dim}`, { file: dir, field: 'arrays.dense' });
    }
    const present = typed(arrays, 'present', Uint8Array, dir);
    if (present.length !== nItems) throw new DataError(`present has length ${present.length}, expected ${nItems}`, { file: dir, field: 'arrays.present' });
    const vecs: ContentVectors = {
      nItems,
      dim,
      dense,
      nTags,
      nArtists,
      nSparse: nTags + nArtists,
      sparseIndptr: typed(arrays, legacy ? 'tagIndptr' : 'sparseIndptr', Int32Array, dir),
      sparseIndices: typed(arrays, legacy ? 'tagIndices' : 'sparseIndices', Int32Array, dir),
      sparseValues: typed(arrays, legacy ? 'tagValues' : 'sparseValues', Float32Array, dir),
      present,
    };
    checkCsr(vecs.sparseIndptr, vecs.sparseIndices, vecs.sparseValues, nItems, nTags + nArtists, dir, legacy ? 'tag' : 'sparse');
    const nbrs: ContentNeighbors = {
      nItems,
      indptr: typed(arrays, 'neighborIndptr', Int32Array, dir),
      indices: typed(arrays, 'neighborIndices', Int32Array, dir),
      values: typed(arrays, 'neighborValues', Float32Array, dir),
    };
    checkCsr(nbrs.indptr, nbrs.indices, nbrs.values, nItems, nItems, dir, 'neighbor');
    const history: UserHistory = {
      indptr: typed(arrays, 'userIndptr', Int32Array, dir),
      indices: typed(arrays, 'userIndices', Int32Array, dir),
      weights: typed(arrays, 'userWeights', Float32Array, dir),
    };
    checkCsr(history.indptr, history.indices, history.weights, nUsers, nItems, dir, 'user');
    const model = new ContentKnnRecommender(meta.params as ContentKnnOptions);
    model.source = meta.source as ResolvedContentSource;
    model.setVectors(vecs);
    model.nbrs = nbrs;
    model.history = history;
    return model;
  }

  private setVectors(vecs: ContentVectors): void {
    this.vecs = vecs;
    this.postings = sparsePostings(vecs);
    this.sparseProfile = new Float64Array(vecs.nSparse);
    this.sparseTouched = new Uint8Array(vecs.nSparse);
  }

  /** out[offset + ·] = scores of the basket items[from..to) with their weights, per the configured profile. */
  private scoreBasket(items: Int32Array, weights: Float32Array, from: number, to: number, out: Float32Array, offset: number): void {
    const v = this.vecs!;
    const n = v.nItems;
    if (this.params.profile === 'knn-sum') {
      out.fill(0, offset, offset + n);
      const { indptr, indices, values } = this.nbrs;
      for (let q = from; q < to; q++) {
        const j = items[q];
        const w = weights[q];
        for (let p = indptr[j]; p < indptr[j + 1]; p++) out[offset + indices[p]] += w * values[p];
      }
    } else {
      this.scoreMeanProfile(items, weights, from, to, out, offset);
    }
    for (let i = 0; i < n; i++) if (!v.present[i]) out[offset + i] = NO_CONTENT_SCORE;
  }

  /** Cosine between the weighted sum of the basket's vectors and every item (all 0 for an empty profile). */
  private scoreMeanProfile(items: Int32Array, weights: Float32Array, from: number, to: number, out: Float32Array, offset: number): void {
    const v = this.vecs!;
    const { dim } = v;
    const profile = new Float64Array(dim);
    const { sparseProfile, sparseTouched } = this;
    const touched: number[] = [];
    for (let q = from; q < to; q++) {
      const j = items[q];
      const w = weights[q];
      for (let d = 0; d < dim; d++) profile[d] += w * v.dense[j * dim + d];
      for (let p = v.sparseIndptr[j]; p < v.sparseIndptr[j + 1]; p++) {
        const t = v.sparseIndices[p];
        if (!sparseTouched[t]) {
          sparseTouched[t] = 1;
          touched.push(t);
        }
        sparseProfile[t] += w * v.sparseValues[p];
      }
    }
    let norm2 = 0;
    for (let d = 0; d < dim; d++) norm2 += profile[d] * profile[d];
    for (const t of touched) norm2 += sparseProfile[t] * sparseProfile[t];
    const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
    for (let d = 0; d < dim; d++) profile[d] *= inv;
    if (dim > 0) denseScoresInto(v.dense, dim, v.nItems, profile, 0, out, offset);
    else out.fill(0, offset, offset + v.nItems);
    const { indptr, items: postingItems, values } = this.postings;
    for (const t of touched) {
      const a = sparseProfile[t] * inv;
      sparseProfile[t] = 0;
      sparseTouched[t] = 0;
      for (let p = indptr[t]; p < indptr[t + 1]; p++) out[offset + postingItems[p]] += a * values[p];
    }
  }

  private requireFitted(what: string): ContentVectors {
    if (!this.vecs) throw new ModelFitError(`content-knn: ${what} called before fit or load`);
    return this.vecs;
  }
}

function nonNegativeInteger(value: unknown, dir: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new DataError(`must be a non-negative integer, got ${JSON.stringify(value)}`, { file: dir, field });
  }
  return value;
}

function typed<C extends Int32ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor>(
  arrays: Record<string, StoredArray>,
  name: string,
  ctor: C,
  dir: string,
): InstanceType<C> {
  const a = arrays[name];
  if (!(a instanceof ctor)) throw new DataError(`missing ${ctor.name} array "${name}"`, { file: dir, field: `arrays.${name}` });
  return a as InstanceType<C>;
}

/** Shape and index range of a saved CSR block, so a corrupt file fails on load, not mid-scoring. */
function checkCsr(indptr: Int32Array, indices: Int32Array, values: Float32Array, nRows: number, nCols: number, dir: string, prefix: string): void {
  if (indptr.length !== nRows + 1 || indptr[0] !== 0 || indptr[nRows] !== indices.length || values.length !== indices.length) {
    throw new DataError(
      `inconsistent CSR: indptr length ${indptr.length} (expected ${nRows + 1}), ends at ${indptr[nRows]}, ${indices.length} indices, ${values.length} values`,
      { file: dir, field: `arrays.${prefix}Indptr` },
    );
  }
  for (let r = 0; r < nRows; r++) {
    if (indptr[r + 1] < indptr[r]) throw new DataError(`indptr decreases at row ${r}`, { file: dir, field: `arrays.${prefix}Indptr` });
  }
  for (let p = 0; p < indices.length; p++) {
    if (!(indices[p] >= 0 && indices[p] < nCols)) {
      throw new DataError(`index ${indices[p]} at position ${p} out of range [0, ${nCols})`, { file: dir, field: `arrays.${prefix}Indices` });
    }
  }
}
