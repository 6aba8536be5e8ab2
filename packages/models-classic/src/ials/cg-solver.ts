import type { HalfStep } from './half-step';

/** Below this squared residual norm a row counts as solved (implicit's threshold). */
const RESIDUAL_EPS = 1e-20;

/**
 * Conjugate-gradient solve of rows [start, end) as implicit's `_least_squares_cg` does it:
 * start from the current x, r = Σ_j (c_j − (c_j − 1)·y_j·x)·y_j − G·x, then `cgSteps` CG steps
 * whose A·p = G·p + Σ_j (c_j − 1)(y_j·p)·y_j touches only the row's observed columns.
 * A row without observations gets x = 0. Vectors are Float64 scratch; factors stay Float32.
 */
export function cgSolveRows(step: HalfStep, start: number, end: number, cgSteps: number): void {
  const { indptr, indices, confidence, solved, fixed, gram, factors: f } = step;
  const x = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  for (let row = start; row < end; row++) {
    const lo = indptr[row];
    const hi = indptr[row + 1];
    const xo = row * f;
    if (lo === hi) {
      solved.fill(0, xo, xo + f);
      continue;
    }
    for (let a = 0; a < f; a++) x[a] = solved[xo + a];
    // r = b − A·x with the −G·x part first
    symmetricTimes(gram, x, r, f, -1);
    for (let k = lo; k < hi; k++) {
      const yo = indices[k] * f;
      const c = confidence[k];
      axpyRow(c - (c - 1) * dotRow(fixed, yo, x, f), fixed, yo, r, f);
    }
    for (let a = 0; a < f; a++) p[a] = r[a];
    let rsOld = dot(r, r, f);
    if (rsOld < RESIDUAL_EPS) continue;
    for (let it = 0; it < cgSteps; it++) {
      symmetricTimes(gram, p, ap, f, 1);
      for (let k = lo; k < hi; k++) {
        const yo = indices[k] * f;
        axpyRow((confidence[k] - 1) * dotRow(fixed, yo, p, f), fixed, yo, ap, f);
      }
      const alpha = rsOld / dot(p, ap, f);
      for (let a = 0; a < f; a++) {
        x[a] += alpha * p[a];
        r[a] -= alpha * ap[a];
      }
      const rsNew = dot(r, r, f);
      if (rsNew < RESIDUAL_EPS) break;
      const beta = rsNew / rsOld;
      for (let a = 0; a < f; a++) p[a] = r[a] + beta * p[a];
      rsOld = rsNew;
    }
    for (let a = 0; a < f; a++) solved[xo + a] = x[a];
  }
}

/** out = scale·(M·v) for the f × f row-major M; two rows at a time, 4-way unrolled columns. */
export function symmetricTimes(m: Float64Array, v: Float64Array, out: Float64Array, f: number, scale: number): void {
  const f4 = f & ~3;
  let a = 0;
  for (; a + 1 < f; a += 2) {
    const m0 = a * f;
    const m1 = m0 + f;
    let s0 = 0;
    let s1 = 0;
    let t0 = 0;
    let t1 = 0;
    let b = 0;
    for (; b < f4; b += 4) {
      const v0 = v[b];
      const v1 = v[b + 1];
      const v2 = v[b + 2];
      const v3 = v[b + 3];
      s0 += m[m0 + b] * v0 + m[m0 + b + 1] * v1;
      t0 += m[m0 + b + 2] * v2 + m[m0 + b + 3] * v3;
      s1 += m[m1 + b] * v0 + m[m1 + b + 1] * v1;
      t1 += m[m1 + b + 2] * v2 + m[m1 + b + 3] * v3;
    }
    for (; b < f; b++) {
      s0 += m[m0 + b] * v[b];
      s1 += m[m1 + b] * v[b];
    }
    out[a] = scale * (s0 + t0);
    out[a + 1] = scale * (s1 + t1);
  }
  if (a < f) {
    const m0 = a * f;
    let s = 0;
    for (let b = 0; b < f; b++) s += m[m0 + b] * v[b];
    out[a] = scale * s;
  }
}

/** y_row · v where y_row = rows[yo .. yo + f). */
export function dotRow(rows: Float32Array, yo: number, v: Float64Array, f: number): number {
  const f4 = f & ~3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let a = 0;
  for (; a < f4; a += 4) {
    s0 += rows[yo + a] * v[a];
    s1 += rows[yo + a + 1] * v[a + 1];
    s2 += rows[yo + a + 2] * v[a + 2];
    s3 += rows[yo + a + 3] * v[a + 3];
  }
  for (; a < f; a++) s0 += rows[yo + a] * v[a];
  return s0 + s1 + s2 + s3;
}

/** out += coef · y_row. */
export function axpyRow(coef: number, rows: Float32Array, yo: number, out: Float64Array, f: number): void {
  const f4 = f & ~3;
  let a = 0;
  for (; a < f4; a += 4) {
    out[a] += coef * rows[yo + a];
    out[a + 1] += coef * rows[yo + a + 1];
    out[a + 2] += coef * rows[yo + a + 2];
    out[a + 3] += coef * rows[yo + a + 3];
  }
  for (; a < f; a++) out[a] += coef * rows[yo + a];
}

function dot(u: Float64Array, v: Float64Array, f: number): number {
  let s0 = 0;
  let s1 = 0;
  let a = 0;
  for (; a + 1 < f; a += 2) {
    s0 += u[a] * v[a];
    s1 += u[a + 1] * v[a + 1];
  }
  if (a < f) s0 += u[a] * v[a];
  return s0 + s1;
}
