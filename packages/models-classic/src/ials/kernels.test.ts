import { describe, expect, it } from 'vitest';
import { Rng } from '@musicrec/core';
import { accumulateGram, addToDiagonal } from './gram';
import { cgSolveRows } from './cg-solver';
import { choleskySolveRows } from './cholesky-solver';
import { scoreUsersByFactors } from './score';
import type { HalfStep } from './half-step';

function randomMatrix(n: number, seed: number, std = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * std);
}

/** Plain Gaussian elimination with partial pivoting: the reference the solvers must match. */
function denseSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = col + 1; r < n; r++) {
      const factor = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= factor * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/** The tiny problem: 3 rows over 5 fixed rows, f = 3, confidences 1 + alpha·w. */
function tinyStep(): HalfStep & { lambda: number } {
  const f = 3;
  const lambda = 0.5;
  const fixed = Float32Array.from([0.5, -0.2, 0.1, 0.3, 0.8, -0.4, -0.6, 0.1, 0.9, 0.2, 0.2, 0.2, 1.0, -0.5, 0.3]);
  const gram = new Float64Array(f * f);
  accumulateGram(fixed, f, 0, 5, gram);
  addToDiagonal(gram, f, lambda);
  return {
    indptr: Int32Array.from([0, 2, 2, 5]),
    indices: Int32Array.from([0, 3, 1, 2, 4]),
    confidence: Float32Array.from([11, 41, 2, 5, 21]),
    solved: Float32Array.from([0.01, 0.02, -0.01, 0.3, 0.3, 0.3, 0, 0.01, 0]),
    fixed,
    gram,
    factors: f,
    lambda,
  };
}

/** (YᵀY + Yᵀ(C − I)Y + λI) x = YᵀC·1 for one row, built from the definition. */
function referenceRow(step: ReturnType<typeof tinyStep>, row: number): number[] {
  const f = step.factors;
  const nFixed = step.fixed.length / f;
  const y = (j: number, a: number) => step.fixed[j * f + a];
  const conf = new Map<number, number>();
  for (let k = step.indptr[row]; k < step.indptr[row + 1]; k++) conf.set(step.indices[k], step.confidence[k]);
  const a: number[][] = [];
  const b: number[] = [];
  for (let p = 0; p < f; p++) {
    a.push([]);
    b.push(0);
    for (let q = 0; q < f; q++) {
      let s = p === q ? step.lambda : 0;
      for (let j = 0; j < nFixed; j++) s += (conf.get(j) ?? 1) * y(j, p) * y(j, q);
      a[p].push(s);
    }
    for (const [j, c] of conf) b[p] += c * y(j, p);
  }
  return denseSolve(a, b);
}

describe('accumulateGram', () => {
  it('equals Σ y yᵀ for odd f over several blocks of rows, and adds to what is there', () => {
    const f = 5;
    const n = 150; // more than two 64-row blocks
    const y = randomMatrix(n * f, 3);
    const out = new Float64Array(f * f).fill(1);
    accumulateGram(y, f, 10, n, out);
    for (let p = 0; p < f; p++) {
      for (let q = 0; q < f; q++) {
        let s = 1;
        for (let r = 10; r < n; r++) s += y[r * f + p] * y[r * f + q];
        expect(out[p * f + q]).toBeCloseTo(s, 9);
      }
    }
  });
});

describe('row solvers', () => {
  it('Cholesky matches a dense solve of the normal equations built from the definition', () => {
    const step = tinyStep();
    choleskySolveRows(step, 0, 3);
    for (const row of [0, 2]) {
      const ref = referenceRow(tinyStep(), row);
      for (let a = 0; a < 3; a++) expect(step.solved[row * 3 + a]).toBeCloseTo(ref[a], 5);
    }
    // a row with no observations: b = 0, so x = 0
    expect(Array.from(step.solved.subarray(3, 6))).toEqual([0, 0, 0]);
  });

  it('CG with enough steps agrees with Cholesky to 1e-4, and leaves empty rows at 0 like implicit', () => {
    const f = 8;
    const nFixed = 40;
    const nRows = 6;
    const fixed = randomMatrix(nFixed * f, 5, 0.3);
    const gram = new Float64Array(f * f);
    accumulateGram(fixed, f, 0, nFixed, gram);
    addToDiagonal(gram, f, 1);
    const indptr = Int32Array.from([0, 3, 10, 10, 12, 20, 21]);
    const rng = new Rng(9);
    const indices = Int32Array.from({ length: 21 }, (_, k) => (k * 7 + 3) % nFixed);
    for (let r = 0; r < nRows; r++) indices.subarray(indptr[r], indptr[r + 1]).sort();
    const confidence = Float32Array.from({ length: 21 }, () => 1 + 40 * rng.next());
    const start = randomMatrix(nRows * f, 6, 0.01);
    const exact: HalfStep = { indptr, indices, confidence, solved: start.slice(), fixed, gram, factors: f };
    const cg: HalfStep = { ...exact, solved: start.slice() };
    choleskySolveRows(exact, 0, nRows);
    cgSolveRows(cg, 0, nRows, 3 * f);
    for (let k = 0; k < nRows * f; k++) expect(Math.abs(cg.solved[k] - exact.solved[k])).toBeLessThan(1e-4);
    expect(Array.from(cg.solved.subarray(2 * f, 3 * f))).toEqual(new Array(f).fill(0));
  });

  it('a few CG steps move every row towards the exact solution', () => {
    const step = tinyStep();
    const exact = { ...tinyStep() };
    choleskySolveRows(exact, 0, 3);
    const before = distance(step.solved, exact.solved, 0, 3);
    cgSolveRows(step, 0, 1, 1);
    expect(distance(step.solved, exact.solved, 0, 3)).toBeLessThan(before);
  });
});

function distance(a: Float32Array, b: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let k = from; k < to; k++) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s);
}

describe('scoreUsersByFactors', () => {
  it('equals the plain dot products for an odd batch and item count (every tile remainder)', () => {
    const f = 7;
    const nUsers = 9;
    const nItems = 263; // two item blocks plus a remainder that is not a multiple of 4
    const u = randomMatrix(nUsers * f, 1);
    const v = randomMatrix(nItems * f, 2);
    const users = Int32Array.from([4, 0, 8, 4, 2]);
    const out = new Float32Array(users.length * nItems);
    scoreUsersByFactors(u, users, v, nItems, f, out);
    for (let b = 0; b < users.length; b++) {
      for (let i = 0; i < nItems; i++) {
        let s = 0;
        for (let k = 0; k < f; k++) s += u[users[b] * f + k] * v[i * f + k];
        expect(out[b * nItems + i]).toBeCloseTo(s, 4);
      }
    }
  });
});
