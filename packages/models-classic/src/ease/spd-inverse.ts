import { CHOLESKY_BLOCK, choleskyInPlace } from './blocked-cholesky';
import { gemmNT } from './dense-kernels';

/**
 * In-place inverse of a symmetric positive definite n×n matrix (row-major Float64Array):
 * on return `a` holds the full symmetric A⁻¹. Same route as LAPACK's potrf + potri:
 *
 *   1. A = L·Lᵀ (blocked Cholesky, lower triangle);
 *   2. U = L⁻ᵀ, written into the upper triangle (row j of U is column j of L⁻¹, so every
 *      inner product reads two contiguous rows: one of U, one of L);
 *   3. A⁻¹ = L⁻ᵀ·L⁻¹ = U·Uᵀ, again as products of contiguous rows of U, written into the
 *      strictly lower triangle (L is no longer needed) with the diagonal kept aside;
 *   4. mirror the lower triangle to the upper one.
 *
 * Each of 1–3 costs n³/3 flops, all of it in the blocked `gemmNT` kernel apart from
 * O(n²·blockSize) of triangular fix-ups, and nothing beyond the n×n array and O(n·blockSize)
 * of scratch is allocated. Throws ModelFitError when A is not positive definite.
 */
export function invertSpdInPlace(a: Float64Array, n: number, blockSize = CHOLESKY_BLOCK): void {
  choleskyInPlace(a, n, blockSize);
  const diagL = new Float64Array(n);
  for (let i = 0; i < n; i++) diagL[i] = a[i * n + i];
  invertFactorIntoUpper(a, n, diagL, blockSize);
  const diagInverse = new Float64Array(n);
  multiplyUpperByItsTranspose(a, n, diagInverse, blockSize);
  mirrorLowerToUpper(a, n, diagInverse);
}

/**
 * Step 2: U[j][i] = (L⁻¹)[i][j] for i ≥ j, by forward substitution of L·m = e_j:
 * m[i] = −(Σ_{p=j}^{i−1} L[i][p]·m[p]) / L[i][i]. Rows j are handled a block J at a time and
 * columns i a block I at a time; the part of the sum with p between the two blocks is one
 * gemmNT call, the parts inside the blocks are short triangular loops.
 */
function invertFactorIntoUpper(a: Float64Array, n: number, diagL: Float64Array, nb: number): void {
  const t = new Float64Array(nb * nb);
  for (let j0 = 0; j0 < n; j0 += nb) {
    const j1 = Math.min(n, j0 + nb);
    const jb = j1 - j0;
    // diagonal block: U[J, J]
    for (let j = j0; j < j1; j++) {
      const rowJ = j * n;
      a[rowJ + j] = 1 / diagL[j];
      for (let i = j + 1; i < j1; i++) {
        const rowI = i * n;
        let s = 0;
        for (let p = j; p < i; p++) s += a[rowI + p] * a[rowJ + p];
        a[rowJ + i] = -s / diagL[i];
      }
    }
    for (let i0 = j1; i0 < n; i0 += nb) {
      const i1 = Math.min(n, i0 + nb);
      const ib = i1 - i0;
      t.fill(0, 0, jb * ib);
      // p in [j1, i0): U rows j are upper there, L rows i strictly lower
      if (i0 > j1) gemmNT(t, 0, ib, a, j0 * n + j1, n, a, i0 * n + j1, n, jb, ib, i0 - j1, 1);
      // p in [j, j1): the part of U's row j inside the diagonal block (p < j would read L)
      for (let j = j0; j < j1; j++) {
        const rowJ = j * n;
        const tRow = (j - j0) * ib;
        for (let i = i0; i < i1; i++) {
          const rowI = i * n;
          let s = 0;
          for (let p = j; p < j1; p++) s += a[rowI + p] * a[rowJ + p];
          t[tRow + i - i0] += s;
        }
      }
      // p in [i0, i): entries of row j computed just before, in order of i
      for (let j = j0; j < j1; j++) {
        const rowJ = j * n;
        const tRow = (j - j0) * ib;
        for (let i = i0; i < i1; i++) {
          const rowI = i * n;
          let s = t[tRow + i - i0];
          for (let p = i0; p < i; p++) s += a[rowI + p] * a[rowJ + p];
          a[rowJ + i] = -s / diagL[i];
        }
      }
    }
  }
}

/**
 * Step 3: P[i][j] = Σ_{p ≥ max(i, j)} U[i][p]·U[j][p] for i ≥ j. Written into the strictly
 * lower triangle (dead L entries; never read again, every read is at p ≥ the row index) and
 * the diagonal into `diag`, because the diagonal still holds U's own diagonal.
 */
function multiplyUpperByItsTranspose(a: Float64Array, n: number, diag: Float64Array, nb: number): void {
  const t = new Float64Array(nb * nb);
  for (let i0 = 0; i0 < n; i0 += nb) {
    const i1 = Math.min(n, i0 + nb);
    const ib = i1 - i0;
    for (let j0 = 0; j0 <= i0; j0 += nb) {
      const j1 = Math.min(n, j0 + nb);
      const jb = j1 - j0;
      const diagonalTile = i0 === j0;
      t.fill(0, 0, ib * jb);
      // p in [i1, n): past both blocks, all upper
      if (i1 < n) gemmNT(t, 0, jb, a, i0 * n + i1, n, a, j0 * n + i1, n, ib, jb, n - i1, 1, diagonalTile);
      // p in [i, i1): U[i][p] is zero for p < i
      for (let i = i0; i < i1; i++) {
        const rowI = i * n;
        const tRow = (i - i0) * jb;
        const jEnd = diagonalTile ? i + 1 : j1;
        for (let j = j0; j < jEnd; j++) {
          const rowJ = j * n;
          let s = 0;
          for (let p = i; p < i1; p++) s += a[rowI + p] * a[rowJ + p];
          t[tRow + j - j0] += s;
        }
      }
      for (let i = i0; i < i1; i++) {
        const tRow = (i - i0) * jb;
        const jEnd = diagonalTile ? i : j1;
        for (let j = j0; j < jEnd; j++) a[i * n + j] = t[tRow + j - j0];
        if (diagonalTile) diag[i] = t[tRow + i - i0];
      }
    }
  }
}

/** Step 4: copy the strictly lower triangle to the upper one (in 64×64 tiles for the cache) and set the diagonal. */
function mirrorLowerToUpper(a: Float64Array, n: number, diag: Float64Array): void {
  const tile = 64;
  for (let i0 = 0; i0 < n; i0 += tile) {
    const i1 = Math.min(n, i0 + tile);
    for (let j0 = 0; j0 <= i0; j0 += tile) {
      const j1 = Math.min(n, j0 + tile);
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(j1, i);
        for (let j = j0; j < jEnd; j++) a[j * n + i] = a[i * n + j];
      }
    }
  }
  for (let i = 0; i < n; i++) a[i * n + i] = diag[i];
}
