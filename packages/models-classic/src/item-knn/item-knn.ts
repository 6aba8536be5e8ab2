import {
  DataError,
  ModelFitError,
  loadModelDir,
  saveModelDir,
  type FitContext,
  type Interactions,
  type Recommender,
  type StoredArray,
  type TopKResult,
} from '@musicrec/core';
import { COLD_START_SCORER, EXPLAINER, SIMILAR_ITEMS } from '@musicrec/core';
import type { ColdStartScorer, Explainer, Explanation, LikedNeighbor, SimilarItems } from '@musicrec/core';
import { resolveItemKnnConfig, type ItemKnnConfig } from './config';
import { itemSimilarity, type ItemSimilarity } from './similarity';
import { weightInteractions } from './weighting';

/** The training rows the model scores from: user u's items and their weights. */
interface UserHistory {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
}

const EMPTY_SIMILARITY: ItemSimilarity = {
  nItems: 0,
  indptr: new Int32Array(1),
  indices: new Int32Array(0),
  values: new Float32Array(0),
};

/**
 * Item-based k-nearest-neighbours (`implicit`'s CosineRecommender / ItemItemRecommender):
 * S = pruned item × item similarity of the weighted training matrix, and
 *   score(u, ·) = Σ_{j ∈ I(u)} w_uj · S[j, ·]
 * with w_uj the same weighted values the similarities were computed from.
 */
export class ItemKnnRecommender implements Recommender, ColdStartScorer, SimilarItems, Explainer {
  readonly name = 'item-knn';
  readonly [COLD_START_SCORER] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly [EXPLAINER] = true as const;
  readonly params: Readonly<ItemKnnConfig>;
  private sim: ItemSimilarity = EMPTY_SIMILARITY;
  private history: UserHistory = { indptr: new Int32Array(1), indices: new Int32Array(0), weights: new Float32Array(0) };

  constructor(params: Partial<ItemKnnConfig> = {}) {
    this.params = resolveItemKnnConfig(params);
  }

  get nUsers(): number {
    return this.history.indptr.length - 1;
  }

  get nItems(): number {
    return this.sim.nItems;
  }

  /** The pruned similarity matrix (rows best-first; do not modify). */
  get similarity(): ItemSimilarity {
    return this.sim;
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    if (train.nnz === 0) throw new ModelFitError('item-knn: the training matrix has no interactions');
    const weighted = weightInteractions(train, this.params);
    const itemUsers = weighted.transpose();
    this.sim = itemSimilarity(weighted, itemUsers, {
      neighbors: this.params.neighbors,
      shrinkage: this.params.shrinkage,
      normalize: this.params.normalize,
      onProgress: ctx.onProgress,
    });
    this.history = { indptr: weighted.indptr, indices: weighted.indices, weights: weighted.values };
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUsers');
    const nItems = this.sim.nItems;
    const scores = out ?? new Float32Array(users.length * nItems);
    if (scores.length !== users.length * nItems) {
      throw new RangeError(`item-knn: out has length ${scores.length}, expected ${users.length} × ${nItems}`);
    }
    const { indptr, indices, weights } = this.history;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < this.nUsers)) throw new RangeError(`item-knn: user index ${u} out of range [0, ${this.nUsers})`);
      const offset = b * nItems;
      scores.fill(0, offset, offset + nItems);
      this.accumulate(indices, weights, indptr[u], indptr[u + 1], scores, offset);
    }
    return scores;
  }

  /**
   * Scores for a basket of items ("songs like these", cold start from liked items):
   * Σ_q weights[q] · S[items[q], ·], weights 1 when not given. Exclude the basket itself at
   * selection time (core `topK` with the sorted basket as `exclude`).
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scoreFromItems');
    const nItems = this.sim.nItems;
    if (weights && weights.length !== items.length) {
      throw new RangeError(`item-knn: ${weights.length} weights for ${items.length} items`);
    }
    const scores = out ?? new Float32Array(nItems);
    if (scores.length !== nItems) throw new RangeError(`item-knn: out has length ${scores.length}, expected ${nItems}`);
    for (let q = 0; q < items.length; q++) {
      if (!(items[q] >= 0 && items[q] < nItems)) throw new RangeError(`item-knn: item index ${items[q]} out of range [0, ${nItems})`);
    }
    scores.fill(0);
    this.accumulate(items, weights ?? new Float32Array(items.length).fill(1), 0, items.length, scores, 0);
    return scores;
  }

  /** The k items most similar to `item` (never itself), best first; -1 / -Infinity past its kept neighbours. */
  similarItems(item: number, k: number): TopKResult {
    this.requireFitted('similarItems');
    if (!(item >= 0 && item < this.sim.nItems)) throw new RangeError(`item-knn: item index ${item} out of range [0, ${this.sim.nItems})`);
    if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`item-knn: k must be an integer >= 0, got ${k}`);
    const items = new Int32Array(k).fill(-1);
    const scores = new Float32Array(k).fill(-Infinity);
    // rows are stored best-first, so the answer is a prefix of the row
    const start = this.sim.indptr[item];
    const n = Math.min(k, this.sim.indptr[item + 1] - start);
    items.set(this.sim.indices.subarray(start, start + n));
    scores.set(this.sim.values.subarray(start, start + n));
    return { items, scores, k };
  }

  /**
   * Why `item` scores what it does for training user `user`: the score is Σ_j w_uj · S[j, item]
   * over the user's items j, so each liked neighbour's w_uj · S[j, item] is one contribution
   * (keyed by j), `nearestLikedItems` the three with the largest similarity S[j, item].
   */
  explain(user: number, item: number): Explanation {
    this.requireFitted('explain');
    if (!(user >= 0 && user < this.nUsers)) throw new RangeError(`item-knn: user index ${user} out of range [0, ${this.nUsers})`);
    this.checkItem(item);
    const { indptr, indices, weights } = this.history;
    return this.explainBasket(indices, weights, indptr[user], indptr[user + 1], item);
  }

  /** The same for a basket of liked items (weights default 1), matching `scoreFromItems`. */
  explainFromItems(items: Int32Array, item: number, weights?: Float32Array): Explanation {
    this.requireFitted('explainFromItems');
    if (weights && weights.length !== items.length) throw new RangeError(`item-knn: ${weights.length} weights for ${items.length} items`);
    for (let q = 0; q < items.length; q++) this.checkItem(items[q]);
    this.checkItem(item);
    return this.explainBasket(items, weights ?? new Float32Array(items.length).fill(1), 0, items.length, item);
  }

  describe(): Record<string, unknown> {
    return { similarityNnz: this.sim.indptr[this.sim.nItems] };
  }

  async save(dir: string): Promise<void> {
    this.requireFitted('save');
    await saveModelDir(
      dir,
      { model: this.name, params: this.params, nUsers: this.nUsers, nItems: this.nItems },
      {
        simIndptr: this.sim.indptr,
        simIndices: this.sim.indices,
        simValues: this.sim.values,
        userIndptr: this.history.indptr,
        userIndices: this.history.indices,
        userWeights: this.history.weights,
      },
    );
  }

  static async load(dir: string): Promise<ItemKnnRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    if (meta.model !== 'item-knn') {
      throw new DataError(`expected a saved "item-knn" model, found ${JSON.stringify(meta.model)}`, { file: dir, field: 'meta.model' });
    }
    const nUsers = positiveInteger(meta.nUsers, dir, 'meta.nUsers');
    const nItems = positiveInteger(meta.nItems, dir, 'meta.nItems');
    const simIndptr = typed(arrays, 'simIndptr', Int32Array, dir);
    const simIndices = typed(arrays, 'simIndices', Int32Array, dir);
    const simValues = typed(arrays, 'simValues', Float32Array, dir);
    const userIndptr = typed(arrays, 'userIndptr', Int32Array, dir);
    const userIndices = typed(arrays, 'userIndices', Int32Array, dir);
    const userWeights = typed(arrays, 'userWeights', Float32Array, dir);
    checkCsr(simIndptr, simIndices, simValues, nItems, nItems, dir, 'sim');
    checkCsr(userIndptr, userIndices, userWeights, nUsers, nItems, dir, 'user');
    const model = new ItemKnnRecommender(meta.params as Partial<ItemKnnConfig>);
    model.sim = { nItems, indptr: simIndptr, indices: simIndices, values: simValues };
    model.history = { indptr: userIndptr, indices: userIndices, weights: userWeights };
    return model;
  }

  /**
   * The score of `item` for the basket items[from..to) term by term. It adds the terms in the
   * order `accumulate` does, rounding to float32 after each, so `score` is bit for bit the value
   * `scoreUsers` / `scoreFromItems` give.
   */
  private explainBasket(items: Int32Array, weights: Float32Array, from: number, to: number, item: number): Explanation {
    const { indptr, indices, values } = this.sim;
    let score = 0;
    const contributions: Record<string, number> = {};
    const liked: LikedNeighbor[] = [];
    for (let q = from; q < to; q++) {
      const j = items[q];
      for (let p = indptr[j]; p < indptr[j + 1]; p++) {
        if (indices[p] !== item) continue;
        const part = weights[q] * values[p];
        score = Math.fround(score + part);
        const key = String(j);
        contributions[key] = (contributions[key] ?? 0) + part;
        if (values[p] > 0 && !liked.some((n) => n.item === j)) liked.push({ item: j, similarity: values[p] });
        break; // a row holds each neighbour once
      }
    }
    liked.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
    return { score, contributions, nearestLikedItems: liked.slice(0, 3), details: { likedNeighbors: Object.keys(contributions).length } };
  }

  private checkItem(i: number): void {
    if (!(i >= 0 && i < this.sim.nItems)) throw new RangeError(`item-knn: item index ${i} out of range [0, ${this.sim.nItems})`);
  }

  /** out[offset + ·] += Σ_{q ∈ [from, to)} weights[q] · S[items[q], ·] */
  private accumulate(
    items: Int32Array,
    weights: Float32Array,
    from: number,
    to: number,
    out: Float32Array,
    offset: number,
  ): void {
    const { indptr, indices, values } = this.sim;
    for (let q = from; q < to; q++) {
      const j = items[q];
      const w = weights[q];
      for (let p = indptr[j]; p < indptr[j + 1]; p++) out[offset + indices[p]] += w * values[p];
    }
  }

  private requireFitted(what: string): void {
    if (this.sim.nItems === 0) throw new ModelFitError(`item-knn: ${what} called before fit or load`);
  }
}

function positiveInteger(v: unknown, dir: string, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new DataError(`must be a positive integer, got ${JSON.stringify(v)}`, { file: dir, field });
  }
  return v;
}

function typed<C extends Int32ArrayConstructor | Float32ArrayConstructor>(
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
function checkCsr(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  nRows: number,
  nCols: number,
  dir: string,
  prefix: string,
): void {
  if (indptr.length !== nRows + 1 || indptr[0] !== 0 || indptr[nRows] !== indices.length || values.length !== indices.length) {
    throw new DataError(
      `inconsistent CSR: indptr length ${indptr.length} (expected ${nRows + 1}), ends at ${indptr[nRows]}, ` +
        `${indices.length} indices, ${values.length} values`,
      { file: dir, field: `arrays.${prefix}Indptr` },
    );
  }
  for (let r = 0; r < nRows; r++) {
    if (indptr[r + 1] < indptr[r]) throw new DataError(`indptr decreases at row ${r}`, { file: dir, field: `arrays.${prefix}Indptr` });
  }
  for (let k = 0; k < indices.length; k++) {
    if (!(indices[k] >= 0 && indices[k] < nCols)) {
      throw new DataError(`index ${indices[k]} at position ${k} out of range [0, ${nCols})`, { file: dir, field: `arrays.${prefix}Indices` });
    }
  }
}
