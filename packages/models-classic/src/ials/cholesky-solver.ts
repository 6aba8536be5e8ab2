import { ModelFitError } from '@musicrec/core';
import type { HalfStep } from './half-step';

/**
 * Exact solve of rows [start, end): builds A = G + Σ_j (c_j − 1) y_j y_jᵀ (lower triangle) and
 * b = Σ_j c_j y_j for each row and solves A x = b by Cholesky. O(n_r·f² + f³/3) per row.
 */
export function choleskySolveRows(step: HalfStep, start: number, end: number): void {
  const { indptr, indices, confidence, solved, fixed, gram, factors: f } = step;
  const a = new Float64Array(f * f);
  const b = new Float64Array(f);
  for (let row = start; row < end; row++) {
    const lo = indptr[row];
    const hi = indptr[row + 1];
    buildRowSystem(gram, fixed, indices, confidence, lo, hi, f, a, b);
    if (!choleskySolveInPlace(a, b, f)) {
      throw new ModelFitError(`ials: the system of row ${row} is not positive definite (raise regularization)`);
    }
    const xo = row * f;
    for (let k = 0; k < f; k++) solved[xo + k] = b[k];
  }
}

/**
 * Writes A = G + Σ_k (c_k − 1) y_k y_kᵀ (lower triangle only) into `a` and b = Σ_k c_k y_k
 * into `b`, over entries k ∈ [lo, hi) of (indices, confidence).
 */
export function buildRowSystem(
  gram: Float64Array,
  fixed: Float32Array,
  indices: Int32Array,
  confidence: Float32Array,
  lo: number,
  hi: number,
  f: number,
  a: Float64Array,
  b: Float64Array,
): void {
  a.set(gram);
  b.fill(0);
  for (let k = lo; k < hi; k++) {
    const yo = indices[k] * f;
    const c = confidence[k];
    const w = c - 1;
    for (let i = 0; i < f; i++) {
      const yi = fixed[yo + i];
      b[i] += c * yi;
      const wyi = w * yi;
      const ai = i * f;
      for (let j = 0; j <= i; j++) a[ai + j] += wyi * fixed[yo + j];
    }
  }
}

/**
 * Solves A x = b for symmetric positive definite A (only its lower triangle is read) by
 * Cholesky A = L Lᵀ; L overwrites the lower triangle of `a`, x overwrites `b`.
 * Returns false (leaving a and b partly overwritten) when A is not positive definite.
 */
export function choleskySolveInPlace(a: Float64Array, b: Float64Array, f: number): boolean {
  for (let j = 0; j < f; j++) {
    const aj = j * f;
    let d = a[aj + j];
    for (let k = 0; k < j; k++) d -= a[aj + k] * a[aj + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[aj + j] = ljj;
    for (let i = j + 1; i < f; i++) {
      const ai = i * f;
      let s = a[ai + j];
      for (let k = 0; k < j; k++) s -= a[ai + k] * a[aj + k];
      a[ai + j] = s / ljj;
    }
  }
  // L z = b
  for (let i = 0; i < f; i++) {
    const ai = i * f;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[ai + k] * b[k];
    b[i] = s / a[ai + i];
  }
  // Lᵀ x = z
  for (let i = f - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < f; k++) s -= a[k * f + i] * b[k];
    b[i] = s / a[i * f + i];
  }
  return true;
}
