import { describe, expect, it } from 'vitest';
import { Rng } from '@musicrec/core';
import { allocateAlsBuffers, type SimdAlsBuffers } from './als-buffers';
import { AlsEngine } from './als-engine';
import { cgSolveRows } from './cg-solver';
import { choleskySolveRows } from './cholesky-solver';
import { accumulateGram, addToDiagonal } from './gram';
import { simdKernelModule } from './simd-module';

/**
 * Rows with 0..11 observed columns, so that the SIMD sparse pass runs its four-at-a-time
 * groups, its one-at-a-time remainders, and both together.
 */
function problem(f: number) {
  const nUsers = 12;
  const nItems = 30;
  const rng = new Rng(21);
  const indptr = new Int32Array(nUsers + 1);
  const indices: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const row = new Set<number>();
    while (row.size < u) row.add(rng.int(nItems));
    indices.push(...[...row].sort((a, b) => a - b));
    indptr[u + 1] = indices.length;
  }
  const confidence = Float32Array.from(indices, () => 1 + 20 * rng.next());
  return {
    nUsers,
    nItems,
    indptr,
    indices: Int32Array.from(indices),
    confidence,
    userFactors: rng.normalArray(nUsers * f, 0.1),
    itemFactors: rng.normalArray(nItems * f, 0.3),
  };
}

/** The SIMD user half-step (YᵀY kernel, then CG rows) with `steps` CG steps. */
async function simdUserHalfStep(f: number, steps: number, p: ReturnType<typeof problem>): Promise<Float32Array> {
  const empty = new Int32Array(p.nItems + 1);
  const buffers = allocateAlsBuffers(
    {
      factors: f,
      regularization: 0.5,
      solver: 'cg',
      cgSteps: steps,
      userIndptr: p.indptr,
      userIndices: p.indices,
      userConfidence: p.confidence,
      // the item side is not solved here
      itemIndptr: empty,
      itemIndices: new Int32Array(0),
      itemConfidence: new Float32Array(0),
      userFactors: p.userFactors,
      itemFactors: p.itemFactors,
    },
    1,
    simdKernelModule,
    false,
  ) as SimdAlsBuffers;
  const engine = AlsEngine.create(buffers);
  await engine.halfStep('users');
  await engine.close();
  return buffers.userFactors.slice();
}

function jsHalfStep(f: number, p: ReturnType<typeof problem>, solve: 'cg' | 'cholesky', steps: number): Float32Array {
  const gram = new Float64Array(f * f);
  accumulateGram(p.itemFactors, f, 0, p.nItems, gram);
  addToDiagonal(gram, f, 0.5);
  const step = { indptr: p.indptr, indices: p.indices, confidence: p.confidence, solved: p.userFactors.slice(), fixed: p.itemFactors, gram, factors: f };
  if (solve === 'cg') cgSolveRows(step, 0, p.nUsers, steps);
  else choleskySolveRows(step, 0, p.nUsers);
  return step.solved;
}

describe('SIMD CG kernel (cg_rows with the four-entry sparse pass)', () => {
  it('converges to the exact (Cholesky) solve of every row, empty rows at 0', async () => {
    for (const f of [8, 12, 36]) { // 36: the Gram product runs a 32-wide block and a 4-wide rest
      const p = problem(f);
      const simd = await simdUserHalfStep(f, 3 * f, p);
      const exact = jsHalfStep(f, p, 'cholesky', 0);
      for (let k = 0; k < simd.length; k++) expect(Math.abs(simd[k] - exact[k])).toBeLessThan(2e-4);
      expect(simd.subarray(0, f).every((v) => v === 0)).toBe(true); // ±0: scaled by 0
    }
  });

  it('takes the same 3 CG steps as the Float64 JS solver, to float32 rounding', async () => {
    const f = 8;
    const p = problem(f);
    const simd = await simdUserHalfStep(f, 3, p);
    const js = jsHalfStep(f, p, 'cg', 3);
    for (let k = 0; k < simd.length; k++) expect(Math.abs(simd[k] - js[k])).toBeLessThan(1e-5);
  });
});
