import type { SparseRows } from './sparse-rows';

/** What the tail fallbacks read: the user's history split into head and tail columns. */
export interface TailModel {
  /** Users × head items (head-index columns). */
  readonly headRows: SparseRows;
  /** Tail items × users, one row per entry of `tailItems`. */
  readonly tailByItem: SparseRows;
  /** Catalogue index of each tail item. */
  readonly tailItems: Int32Array;
  /** Users with at least one tail item, ascending: the only ones whose t_v is ever read. */
  readonly tailUsers: Int32Array;
  /** diag((X_hᵀX_h + λI)⁻¹) over the head items. */
  readonly diagInverse: Float64Array;
}

/**
 * Tail item j's ridge regression onto the head items, b_j = P·X_hᵀx_j with P = (X_hᵀX_h + λI)⁻¹,
 * gives score(u, j) = (x_u P)·(X_hᵀ x_j). x_u P comes back from the head scores s = x_u B at no
 * extra cost, because B = I − P·diag(P)⁻¹ means x_u P = (x_u − s) ∘ diag(P). Then
 * score(u, j) = Σ_{v∈users(j)} x_vj · t_v with t_v = x_{v,head} · (x_u P): O(nnz) per user.
 *
 * `headScores` is s over the head items; `y` (head size) and `t` (users) are scratch.
 */
export function regressionTailScores(
  tail: TailModel,
  user: number,
  headScores: Float64Array,
  out: Float32Array,
  outOff: number,
  y: Float64Array,
  t: Float64Array,
): void {
  const { headRows } = tail;
  basketTailScores(tail, headRows.indices, headRows.values, headRows.indptr[user], headRows.indptr[user + 1], headScores, out, outOff, y, t);
}

/**
 * `regressionTailScores` for any head-item basket, entries [from, to) of (headIndices,
 * values), not only a training user's row: the cold-start path (`scoreFromItems`).
 */
export function basketTailScores(
  tail: TailModel,
  headIndices: Int32Array,
  values: Float32Array,
  from: number,
  to: number,
  headScores: Float64Array,
  out: Float32Array,
  outOff: number,
  y: Float64Array,
  t: Float64Array,
): void {
  const { headRows, tailByItem, tailItems, tailUsers, diagInverse } = tail;
  for (let h = 0; h < y.length; h++) y[h] = -headScores[h] * diagInverse[h];
  for (let k = from; k < to; k++) {
    const h = headIndices[k];
    y[h] += values[k] * diagInverse[h];
  }
  for (let q = 0; q < tailUsers.length; q++) {
    const v = tailUsers[q];
    let s = 0;
    for (let k = headRows.indptr[v]; k < headRows.indptr[v + 1]; k++) s += headRows.values[k] * y[headRows.indices[k]];
    t[v] = s;
  }
  for (let q = 0; q < tailItems.length; q++) {
    let s = 0;
    for (let k = tailByItem.indptr[q]; k < tailByItem.indptr[q + 1]; k++) s += tailByItem.values[k] * t[tailByItem.indices[k]];
    out[outOff + tailItems[q]] = s;
  }
}

/**
 * Tail items ranked after every head item of this user, the more popular first:
 * score = (lowest head score) − 1 + users(j) / minItemUsers, which stays below the lowest
 * head score because a tail item has fewer than minItemUsers users.
 */
export function popularityTailScores(
  tail: TailModel,
  headScores: Float64Array,
  minItemUsers: number,
  out: Float32Array,
  outOff: number,
): void {
  let lowest = Infinity;
  for (let h = 0; h < headScores.length; h++) if (headScores[h] < lowest) lowest = headScores[h];
  const { tailByItem, tailItems } = tail;
  for (let q = 0; q < tailItems.length; q++) {
    const users = tailByItem.indptr[q + 1] - tailByItem.indptr[q];
    out[outOff + tailItems[q]] = lowest - 1 + users / minItemUsers;
  }
}
