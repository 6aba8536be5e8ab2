import { ModelFitError } from '@musicrec/core';
import type { SparseRows } from './sparse-rows';
import { transposeRows } from './sparse-rows';
import { invertSpdInPlace } from './spd-inverse';

/** Rows of H computed per pass over the sparse columns (the unrolled accumulators below). */
const ROWS_PER_PASS = 8;

/** How the weight matrix is solved: in item space (n×n inverse) or user space (Woodbury, users×users inverse). */
export type EaseSolverKind = 'primal' | 'dual';

export interface EaseWeights {
  /** B, n×n row-major float32: score of item j for a user = Σ_i x_i · B[i][j]; B[j][j] = 0. */
  readonly weights: Float32Array;
  /** diag(P) with P = (XᵀX + λI)⁻¹, the per-item scale that turns B back into P (tail regression). */
  readonly diagInverse: Float64Array;
}

/**
 * EASE (Steck 2019) in item space: G = XᵀX + λI, P = G⁻¹, B_ij = −P_ij / P_jj (i ≠ j), B_jj = 0.
 * One dense n×n Float64Array (the inverse is taken in place) plus the float32 B: 12·n² bytes.
 * `x` is users × n (the items kept for the dense model), values used as given.
 */
export function primalEaseWeights(x: SparseRows, lambda: number): EaseWeights {
  const n = x.nCols;
  const g = new Float64Array(n * n);
  const { indptr, indices, values } = x;
  for (let u = 0; u < indptr.length - 1; u++) {
    for (let a = indptr[u]; a < indptr[u + 1]; a++) {
      const row = indices[a] * n;
      const va = values[a];
      for (let b = indptr[u]; b < indptr[u + 1]; b++) g[row + indices[b]] += va * values[b];
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  invertSpdInPlace(g, n);
  assertFinite(g, 'items × items inverse');
  const diagInverse = new Float64Array(n);
  for (let j = 0; j < n; j++) diagInverse[j] = g[j * n + j];
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) weights[row + j] = -g[row + j] / diagInverse[j];
    weights[row + i] = 0;
  }
  return { weights, diagInverse };
}

/**
 * The same B through the Woodbury identity, for when there are fewer users than items:
 * (λI + XᵀX)⁻¹ = (I − Xᵀ(λI + XXᵀ)⁻¹X) / λ. With W = (λI + XXᵀ)⁻¹ (users × users) and
 * H = XᵀWX, P = (I − H)/λ, so B_ij = H_ij / (1 − H_jj) for i ≠ j.
 *
 * The only cubic step is W (m³ flops for m users); H is built one row at a time from the
 * sparse X (r = Σ_{u∈users(i)} x_ui·W[u,:], then H_ij = Σ_{u∈users(j)} x_uj·r[u]), which
 * costs nnz·m + n·nnz instead of the n³ of the item-space inverse. Memory: 8·m² + 4·n².
 */
export function dualEaseWeights(x: SparseRows, lambda: number): EaseWeights {
  const n = x.nCols;
  const m = x.indptr.length - 1;
  const byItem = transposeRows(x);
  const w = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let a = byItem.indptr[i]; a < byItem.indptr[i + 1]; a++) {
      const row = byItem.indices[a] * m;
      const va = byItem.values[a];
      for (let b = byItem.indptr[i]; b < byItem.indptr[i + 1]; b++) w[row + byItem.indices[b]] += va * byItem.values[b];
    }
  }
  for (let u = 0; u < m; u++) w[u * m + u] += lambda;
  invertSpdInPlace(w, m);
  assertFinite(w, 'users × users inverse');

  const { indptr, indices, values } = byItem;
  // 1 − H_jj = λ·P_jj: H_jj = Σ_{u,v ∈ users(j)} x_uj·W[u][v]·x_vj
  const diagInverse = new Float64Array(n);
  const oneMinusHjj = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let h = 0;
    for (let a = indptr[j]; a < indptr[j + 1]; a++) {
      const row = indices[a] * m;
      let s = 0;
      for (let b = indptr[j]; b < indptr[j + 1]; b++) s += w[row + indices[b]] * values[b];
      h += values[a] * s;
    }
    oneMinusHjj[j] = 1 - h;
    diagInverse[j] = (1 - h) / lambda;
    if (!(oneMinusHjj[j] > 0)) throw new ModelFitError(`ease: 1 − H_jj = ${oneMinusHjj[j]} for item ${j}; the inverse lost precision`);
  }

  // rows of H eight at a time: r holds r_i for items i0..i0+7 interleaved (r[u·8 + q]),
  // so each pass over X's columns serves eight rows (one index load per eight multiply-adds)
  const weights = new Float32Array(n * n);
  const r = new Float64Array(m * ROWS_PER_PASS);
  const rowScale = new Float64Array(ROWS_PER_PASS);
  for (let i0 = 0; i0 < n; i0 += ROWS_PER_PASS) {
    const rows = Math.min(ROWS_PER_PASS, n - i0);
    for (let q = 0; q < rows; q++) rowScale[q] = 1 / oneMinusHjj[i0 + q];
    r.fill(0);
    for (let q = 0; q < rows; q++) {
      for (let a = indptr[i0 + q]; a < indptr[i0 + q + 1]; a++) {
        const row = indices[a] * m;
        const va = values[a];
        for (let v = 0; v < m; v++) r[v * ROWS_PER_PASS + q] += va * w[row + v];
      }
    }
    // H is symmetric: only columns j ≥ i0 are gathered; column j's values also give row j
    // (B_ji = H_ij / (1 − H_ii)), which halves the gathers
    for (let j = i0; j < n; j++) {
      let h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0;
      for (let b = indptr[j]; b < indptr[j + 1]; b++) {
        const x = values[b];
        const o = indices[b] * ROWS_PER_PASS;
        h0 += x * r[o];
        h1 += x * r[o + 1];
        h2 += x * r[o + 2];
        h3 += x * r[o + 3];
        h4 += x * r[o + 4];
        h5 += x * r[o + 5];
        h6 += x * r[o + 6];
        h7 += x * r[o + 7];
      }
      const scale = 1 / oneMinusHjj[j];
      const out = i0 * n + j;
      weights[out] = h0 * scale;
      if (rows > 1) weights[out + n] = h1 * scale;
      if (rows > 2) weights[out + 2 * n] = h2 * scale;
      if (rows > 3) weights[out + 3 * n] = h3 * scale;
      if (rows > 4) weights[out + 4 * n] = h4 * scale;
      if (rows > 5) weights[out + 5 * n] = h5 * scale;
      if (rows > 6) weights[out + 6 * n] = h6 * scale;
      if (rows > 7) weights[out + 7 * n] = h7 * scale;
      if (j >= i0 + rows) {
        // rows < 8 only in the last pass, where j < i0 + rows always: all eight are real
        const mirror = j * n + i0;
        weights[mirror] = h0 * rowScale[0];
        weights[mirror + 1] = h1 * rowScale[1];
        weights[mirror + 2] = h2 * rowScale[2];
        weights[mirror + 3] = h3 * rowScale[3];
        weights[mirror + 4] = h4 * rowScale[4];
        weights[mirror + 5] = h5 * rowScale[5];
        weights[mirror + 6] = h6 * rowScale[6];
        weights[mirror + 7] = h7 * rowScale[7];
      }
    }
    for (let q = 0; q < rows; q++) weights[(i0 + q) * n + i0 + q] = 0;
  }
  return { weights, diagInverse };
}

/** A non-finite inverse means the solve broke down (overflow, or NaN in the input values). */
function assertFinite(a: Float64Array, what: string): void {
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k])) throw new ModelFitError(`ease: the ${what} has a non-finite entry (${a[k]}) at ${k}`);
  }
}
