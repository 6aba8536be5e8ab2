import {
  DataError,
  ModelFitError,
  loadModelDir,
  saveModelDir,
  type FitContext,
  type Interactions,
  type Recommender,
  type StoredArray,
} from '@musicrec/core';
import { COLD_START_SCORER, SIMILAR_ITEMS, topK } from '@musicrec/core';
import type { ColdStartScorer, SimilarItems, TopKResult } from '@musicrec/core';
import { resolveEaseConfig, type EaseConfig } from './config';
import { dualEaseWeights, primalEaseWeights, type EaseSolverKind, type EaseWeights } from './ease-weights';
import { selectHeadItems } from './head-items';
import { chooseEaseSolver } from './solver-choice';
import { selectColumns, transposeRows, type SparseRows } from './sparse-rows';
import { basketTailScores, popularityTailScores, regressionTailScores, type TailModel } from './tail-scores';

/** Largest head whose float32 B stays under the 2 GiB that Node's fs reads and writes in one file. */
export const MAX_HEAD_ITEMS = 23_170;

/** Everything scoring needs; built by fit or restored by load. */
interface FittedEase {
  readonly nUsers: number;
  readonly nItems: number;
  /** The training matrix (users × all items): a user's scores are her history times B. */
  readonly history: SparseRows;
  readonly headItems: Int32Array;
  readonly weights: Float32Array;
  readonly solver: EaseSolverKind;
  readonly tail: TailModel;
}

/**
 * EASE (Steck 2019): a closed-form item-item model, B = argmin ‖X − XB‖² + λ‖B‖² with
 * diag(B) = 0, so B_ij = −P_ij / P_jj for P = (XᵀX + λI)⁻¹ and scores = X·B.
 *
 * The dense B covers the "head" (items with ≥ minItemUsers training users); the rest is
 * scored by `tailFallback`. B is solved in item space (blocked Cholesky inverse, n³) or in
 * user space through the Woodbury identity (users³ + n·nnz), whichever `solver` picks.
 */
export class EaseRecommender implements Recommender, ColdStartScorer, SimilarItems {
  readonly name = 'ease';
  readonly [COLD_START_SCORER] = true as const;
  readonly [SIMILAR_ITEMS] = true as const;
  readonly params: Readonly<EaseConfig>;
  private state: FittedEase | null = null;

  constructor(params: Partial<EaseConfig> = {}) {
    this.params = resolveEaseConfig(params);
  }

  /** The dense weight matrix over the head items (head × head, row-major); empty before fit. */
  get weights(): Float32Array {
    return this.state?.weights ?? new Float32Array(0);
  }

  /** Catalogue index of each row/column of `weights`. */
  get headItems(): Int32Array {
    return this.state?.headItems ?? new Int32Array(0);
  }

  async fit(train: Interactions, ctx: FitContext): Promise<void> {
    if (train.nnz === 0) throw new ModelFitError('ease: the training matrix has no interactions');
    const { lambda, minItemUsers } = this.params;
    const history: SparseRows = { indptr: train.indptr, indices: train.indices, values: train.values, nCols: train.nItems };
    const head = selectHeadItems(train.itemCounts(), minItemUsers);
    const nHead = head.items.length;
    if (nHead === 0) throw new ModelFitError(`ease: no item has ${minItemUsers} or more training users (minItemUsers)`);
    if (nHead > MAX_HEAD_ITEMS) {
      const gb = ((4 * nHead * nHead) / 2 ** 30).toFixed(1);
      throw new ModelFitError(
        `ease: ${nHead} items have ≥ ${minItemUsers} training users; their dense B would take ${gb} GiB ` +
          `(at most ${MAX_HEAD_ITEMS} items fit one saveable array); raise minItemUsers`,
      );
    }
    const headRows = selectColumns(history, head.headIndex, nHead);
    const solver = chooseEaseSolver(this.params.solver, nHead, train.nUsers, headRows.indices.length);
    const total = 2;
    ctx.onProgress?.({ stage: 'fit ease', current: 0, total, message: `${solver} solve over ${nHead} head items` });
    const solved: EaseWeights = solver === 'primal' ? primalEaseWeights(headRows, lambda) : dualEaseWeights(headRows, lambda);
    ctx.onProgress?.({ stage: 'fit ease', current: 1, total, message: 'tail structures' });
    this.state = {
      nUsers: train.nUsers,
      nItems: train.nItems,
      history,
      headItems: head.items,
      weights: solved.weights,
      solver,
      tail: buildTailModel(history, head.headIndex, headRows, solved.diagInverse),
    };
    ctx.onProgress?.({ stage: 'fit ease', current: total, total });
  }

  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    const s = this.state;
    if (!s) throw new ModelFitError('ease: scoreUsers called before fit or load');
    const { nItems, headItems, weights, tail } = s;
    const scores = out ?? new Float32Array(users.length * nItems);
    if (scores.length !== users.length * nItems) {
      throw new RangeError(`ease: out has length ${scores.length}, expected ${users.length} × ${nItems}`);
    }
    const nHead = headItems.length;
    const { headRows } = tail;
    const headScores = new Float64Array(nHead);
    const y = new Float64Array(nHead);
    const t = new Float64Array(s.nUsers);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      if (!(u >= 0 && u < s.nUsers)) throw new RangeError(`ease: user index ${u} out of range [0, ${s.nUsers})`);
      accumulateRows(weights, nHead, headRows, u, headScores);
      const off = b * nItems;
      for (let j = 0; j < nHead; j++) scores[off + headItems[j]] = headScores[j];
      if (this.params.tailFallback === 'regression') regressionTailScores(tail, u, headScores, scores, off, y, t);
      else popularityTailScores(tail, headScores, this.params.minItemUsers, scores, off);
    }
    return scores;
  }

  /**
   * Cold start from liked items: the scores `scoreUsers` gives a user whose training row is
   * the basket (weights default 1, the values of a binarised training matrix). Head items
   * go through B; tail items through the configured fallback. Duplicate items add up.
   */
  scoreFromItems(items: Int32Array, weights?: Float32Array, out?: Float32Array): Float32Array {
    const s = this.state;
    if (!s) throw new ModelFitError('ease: scoreFromItems called before fit or load');
    const { nItems, headItems } = s;
    if (weights && weights.length !== items.length) throw new RangeError(`ease: ${weights.length} weights for ${items.length} items`);
    for (let q = 0; q < items.length; q++) {
      if (!(items[q] >= 0 && items[q] < nItems)) throw new RangeError(`ease: item index ${items[q]} out of range [0, ${nItems})`);
    }
    const scores = out ?? new Float32Array(nItems);
    if (scores.length !== nItems) throw new RangeError(`ease: out has length ${scores.length}, expected ${nItems}`);
    // the basket as one sorted head row, the same order a training row has (so the sums match scoreUsers bit for bit)
    const order = Array.from(items.keys()).sort((a, b) => items[a] - items[b] || a - b);
    const rowIndices: number[] = [];
    const rowValues: number[] = [];
    for (const q of order) {
      const h = binarySearch(headItems, items[q]);
      if (h < 0) continue;
      const w = weights ? weights[q] : 1;
      if (rowIndices.length > 0 && rowIndices[rowIndices.length - 1] === h) rowValues[rowValues.length - 1] += w;
      else {
        rowIndices.push(h);
        rowValues.push(w);
      }
    }
    const nHead = headItems.length;
    const row = { indptr: Int32Array.of(0, rowIndices.length), indices: Int32Array.from(rowIndices), values: Float32Array.from(rowValues), nCols: nHead };
    const headScores = new Float64Array(nHead);
    accumulateRows(s.weights, nHead, row, 0, headScores);
    for (let j = 0; j < nHead; j++) scores[headItems[j]] = headScores[j];
    if (this.params.tailFallback === 'regression') {
      basketTailScores(s.tail, row.indices, row.values, 0, row.indices.length, headScores, scores, 0, new Float64Array(nHead), new Float64Array(s.nUsers));
    } else {
      popularityTailScores(s.tail, headScores, this.params.minItemUsers, scores, 0);
    }
    return scores;
  }

  /**
   * The k head items with the largest weight B[item, j]: what liking `item` alone adds to each
   * item's score (row `item` of the item-item model, so the list is the top of
   * `scoreFromItems([item])` over the head), best first, the item itself left out. A tail item
   * (fewer than minItemUsers training users) has no row in B: all -1 / −Infinity.
   */
  similarItems(item: number, k: number): TopKResult {
    const s = this.state;
    if (!s) throw new ModelFitError('ease: similarItems called before fit or load');
    if (!(Number.isInteger(item) && item >= 0 && item < s.nItems)) throw new RangeError(`ease: item index ${item} out of range [0, ${s.nItems})`);
    if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`ease: k must be an integer >= 0, got ${k}`);
    const items = new Int32Array(k).fill(-1);
    const scores = new Float32Array(k).fill(-Infinity);
    const h = binarySearch(s.headItems, item);
    if (h < 0) return { items, scores, k };
    const nHead = s.headItems.length;
    // topK over the row in head positions, then back to catalogue indices (headItems ascending, so ties still go to the lower item)
    const found = topK(s.weights, k, items, scores, Int32Array.of(h), h * nHead, nHead);
    for (let r = 0; r < found; r++) items[r] = s.headItems[items[r]];
    return { items, scores, k };
  }

  describe(): Record<string, unknown> {
    const s = this.state;
    return s ? { solver: s.solver, headItems: s.headItems.length, tailItems: s.tail.tailItems.length } : {};
  }

  async save(dir: string): Promise<void> {
    const s = this.state;
    if (!s) throw new ModelFitError('ease: save called before fit or load');
    const meta = { model: this.name, params: this.params, nUsers: s.nUsers, nItems: s.nItems, solver: s.solver };
    const arrays: Record<string, StoredArray> = {
      weights: s.weights,
      headItems: s.headItems,
      diagInverse: s.tail.diagInverse,
      historyIndptr: s.history.indptr,
      historyIndices: s.history.indices,
      historyValues: s.history.values,
    };
    await saveModelDir(dir, meta, arrays);
  }

  static async load(dir: string): Promise<EaseRecommender> {
    const { meta, arrays } = await loadModelDir(dir);
    const bad = (field: string, message: string): DataError => new DataError(message, { file: dir, field });
    if (meta.model !== 'ease') throw bad('meta.model', `expected a saved "ease" model, found ${JSON.stringify(meta.model)}`);
    const nUsers = positiveInteger(meta.nUsers, 'meta.nUsers', bad);
    const nItems = positiveInteger(meta.nItems, 'meta.nItems', bad);
    if (meta.solver !== 'primal' && meta.solver !== 'dual') throw bad('meta.solver', `unknown solver ${JSON.stringify(meta.solver)}`);
    const weights = typed(arrays, 'weights', Float32Array, bad);
    const headItems = typed(arrays, 'headItems', Int32Array, bad);
    const diagInverse = typed(arrays, 'diagInverse', Float64Array, bad);
    const indptr = typed(arrays, 'historyIndptr', Int32Array, bad);
    const indices = typed(arrays, 'historyIndices', Int32Array, bad);
    const values = typed(arrays, 'historyValues', Float32Array, bad);
    const nHead = headItems.length;
    if (weights.length !== nHead * nHead) throw bad('arrays.weights', `has ${weights.length} values, expected ${nHead}² for ${nHead} head items`);
    if (diagInverse.length !== nHead) throw bad('arrays.diagInverse', `has ${diagInverse.length} values, expected ${nHead}`);
    if (indptr.length !== nUsers + 1) throw bad('arrays.historyIndptr', `has ${indptr.length} values, expected nUsers + 1 = ${nUsers + 1}`);
    if (indices.length !== indptr[nUsers] || values.length !== indptr[nUsers]) {
      throw bad('arrays.historyIndices', `indices/values have ${indices.length}/${values.length} entries, indptr says ${indptr[nUsers]}`);
    }
    for (let k = 0; k < indices.length; k++) {
      if (!(indices[k] >= 0 && indices[k] < nItems)) throw bad('arrays.historyIndices', `item index ${indices[k]} out of range [0, ${nItems})`);
    }
    const headIndex = new Int32Array(nItems).fill(-1);
    for (let h = 0; h < nHead; h++) {
      const i = headItems[h];
      if (!(i >= 0 && i < nItems) || (h > 0 && i <= headItems[h - 1])) {
        throw bad('arrays.headItems', `entry ${h} (${i}) is not an ascending item index in [0, ${nItems})`);
      }
      headIndex[i] = h;
    }
    const model = new EaseRecommender(meta.params as Partial<EaseConfig>);
    const history: SparseRows = { indptr, indices, values, nCols: nItems };
    const headRows = selectColumns(history, headIndex, nHead);
    model.state = {
      nUsers,
      nItems,
      history,
      headItems,
      weights,
      solver: meta.solver,
      tail: buildTailModel(history, headIndex, headRows, diagInverse),
    };
    return model;
  }
}

/**
 * scores = Σ_k x_k · B[row_k, :] over the user's head items, four rows per pass so the
 * accumulator is read and written once per four multiply-adds.
 */
function accumulateRows(weights: Float32Array, n: number, rows: SparseRows, u: number, scores: Float64Array): void {
  scores.fill(0);
  const end = rows.indptr[u + 1];
  let k = rows.indptr[u];
  for (; k + 3 < end; k += 4) {
    const x0 = rows.values[k];
    const x1 = rows.values[k + 1];
    const x2 = rows.values[k + 2];
    const x3 = rows.values[k + 3];
    const r0 = rows.indices[k] * n;
    const r1 = rows.indices[k + 1] * n;
    const r2 = rows.indices[k + 2] * n;
    const r3 = rows.indices[k + 3] * n;
    for (let j = 0; j < n; j++) {
      scores[j] += x0 * weights[r0 + j] + x1 * weights[r1 + j] + x2 * weights[r2 + j] + x3 * weights[r3 + j];
    }
  }
  for (; k < end; k++) {
    const x = rows.values[k];
    const r = rows.indices[k] * n;
    for (let j = 0; j < n; j++) scores[j] += x * weights[r + j];
  }
}

/** The history restricted to tail items, by item, for the fallbacks. */
function buildTailModel(history: SparseRows, headIndex: Int32Array, headRows: SparseRows, diagInverse: Float64Array): TailModel {
  const tailIndex = new Int32Array(headIndex.length).fill(-1);
  let nTail = 0;
  for (let i = 0; i < headIndex.length; i++) if (headIndex[i] < 0) tailIndex[i] = nTail++;
  const tailItems = new Int32Array(nTail);
  for (let i = 0; i < headIndex.length; i++) if (tailIndex[i] >= 0) tailItems[tailIndex[i]] = i;
  const tailRows = selectColumns(history, tailIndex, nTail);
  const tailByItem = transposeRows(tailRows);
  let nTailUsers = 0;
  for (let u = 0; u < tailRows.indptr.length - 1; u++) if (tailRows.indptr[u + 1] > tailRows.indptr[u]) nTailUsers++;
  const tailUsers = new Int32Array(nTailUsers);
  for (let u = 0, q = 0; u < tailRows.indptr.length - 1; u++) if (tailRows.indptr[u + 1] > tailRows.indptr[u]) tailUsers[q++] = u;
  return { headRows, tailByItem, tailItems, tailUsers, diagInverse };
}

function positiveInteger(v: unknown, field: string, bad: (field: string, message: string) => DataError): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw bad(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

function typed<T extends StoredArray>(
  arrays: Record<string, StoredArray>,
  name: string,
  ctor: { new (length: number): T; name: string },
  bad: (field: string, message: string) => DataError,
): T {
  const a = arrays[name];
  if (!(a instanceof ctor)) throw bad(`arrays.${name}`, `saved ease model has no ${ctor.name} "${name}"`);
  return a;
}

/** Position of x in the ascending array a, or -1. */
function binarySearch(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
