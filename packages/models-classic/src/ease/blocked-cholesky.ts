import { ModelFitError } from '@musicrec/core';
import { gemmNT } from './dense-kernels';

/** Block size of the panel updates: 64 doubles per row segment keep a 4×4 micro-tile's rows in L1. */
export const CHOLESKY_BLOCK = 64;

/** Rows of the trailing matrix updated per pass over a packed panel chunk (the chunk stays in L2). */
const TILE_ROWS = 256;

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive definite n×n matrix
 * (row-major Float64Array). Reads and writes the lower triangle only: on return it holds
 * L (diagonal included); the strictly upper triangle is left as it was.
 *
 * Right-looking and blocked: factor a `blockSize`-wide diagonal block, solve the panel
 * below it, then subtract panel·panelᵀ from the trailing matrix. That last step is all but
 * O(n²·blockSize) of the n³/3 flops and runs through the 4×4 register-blocked `gemmNT` over
 * a packed copy of the panel. Throws ModelFitError naming the pivot when A is not positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number, blockSize = CHOLESKY_BLOCK): void {
  if (a.length < n * n) throw new RangeError(`cholesky: array of length ${a.length} cannot hold ${n}×${n}`);
  if (!(Number.isInteger(blockSize) && blockSize >= 1)) throw new RangeError(`cholesky: blockSize must be an integer ≥ 1, got ${blockSize}`);
  const panel = new Float64Array(Math.max(0, n - blockSize) * blockSize);
  for (let k0 = 0; k0 < n; k0 += blockSize) {
    const k1 = Math.min(n, k0 + blockSize);
    const kb = k1 - k0;
    factorDiagonalBlock(a, n, k0, k1);
    solvePanel(a, n, k0, k1);
    const rest = n - k1;
    if (rest === 0) break;
    // pack the panel L[k1:n, k0:k1] row by row (contiguous, stride kb)
    for (let i = 0; i < rest; i++) {
      const src = (k1 + i) * n + k0;
      panel.set(a.subarray(src, src + kb), i * kb);
    }
    // trailing lower triangle A[k1:n, k1:n] -= panel · panelᵀ, tile by tile
    for (let j0 = 0; j0 < rest; j0 += TILE_ROWS) {
      const jRows = Math.min(TILE_ROWS, rest - j0);
      for (let i0 = j0; i0 < rest; i0 += TILE_ROWS) {
        const iRows = Math.min(TILE_ROWS, rest - i0);
        gemmNT(a, (k1 + i0) * n + k1 + j0, n, panel, i0 * kb, kb, panel, j0 * kb, kb, iRows, jRows, kb, -1, i0 === j0);
      }
    }
  }
}

/** Unblocked Cholesky of the diagonal block A[k0:k1, k0:k1] (earlier blocks already subtracted). */
function factorDiagonalBlock(a: Float64Array, n: number, k0: number, k1: number): void {
  for (let j = k0; j < k1; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j];
    for (let p = k0; p < j; p++) d -= a[rowJ + p] * a[rowJ + p];
    if (!(d > 0)) {
      throw new ModelFitError(`cholesky: matrix is not positive definite (pivot ${j} is ${d})`);
    }
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < k1; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let p = k0; p < j; p++) s -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = s / ljj;
    }
  }
}

/** Rows below the diagonal block: L[i, k0:k1] = A[i, k0:k1] · L[k0:k1, k0:k1]⁻ᵀ (forward substitution per row). */
function solvePanel(a: Float64Array, n: number, k0: number, k1: number): void {
  for (let i = k1; i < n; i++) {
    const rowI = i * n;
    for (let j = k0; j < k1; j++) {
      const rowJ = j * n;
      let s = a[rowI + j];
      for (let p = k0; p < j; p++) s -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = s / a[rowJ + j];
    }
  }
}
