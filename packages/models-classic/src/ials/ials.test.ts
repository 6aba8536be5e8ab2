import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFitError, isExplainer, isFactorFoldIn, range, type Interactions } from '@musicrec/core';
import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { AlsEngine } from './als-engine';
import { allocateAlsBuffers, type AlsBuffers, type AlsInputs } from './als-buffers';
import { choleskySolveRows } from './cholesky-solver';
import { accumulateGram, addToDiagonal } from './gram';
import { ImplicitALS } from './ials';
import { ialsFactory } from './factory';
import { scoreUsersByFactors } from './score';
import { simdKernelModule } from './simd-module';

describeRecommender('ials', () => new ImplicitALS({ factors: 8, iterations: 10, regularization: 1, alpha: 10 }), {
  factory: ialsFactory,
});

const data = (): Interactions => clusteredInteractions({ nUsers: 60, nItems: 40, nClusters: 3, itemsPerUser: 8, seed: 5 });

/** The exact user half-step against the model's final item factors. */
function exactUserHalfStep(model: ImplicitALS, train: Interactions, confidence: Float32Array): Float32Array {
  const f = model.factors;
  const gram = new Float64Array(f * f);
  accumulateGram(model.itemFactors, f, 0, model.nItems, gram);
  addToDiagonal(gram, f, model.params.regularization);
  const solved = model.userFactors.slice();
  choleskySolveRows(
    { indptr: train.indptr, indices: train.indices, confidence, solved, fixed: model.itemFactors, gram, factors: f },
    0,
    train.nUsers,
  );
  return solved;
}

describe('ImplicitALS', () => {
  it('foldInUser of a training user reproduces its vector after a final exact user half-step', async () => {
    const train = data().binarize();
    const model = new ImplicitALS({ factors: 6, iterations: 5, regularization: 2, alpha: 20 });
    await model.fit(train, { seed: 1 });
    const confidence = new Float32Array(train.nnz).fill(21);
    const after = exactUserHalfStep(model, train, confidence);
    for (const u of [0, 17, 59]) {
      const folded = model.foldInUser(train.itemsOf(u));
      for (let a = 0; a < 6; a++) expect(folded[a]).toBeCloseTo(after[u * 6 + a], 4);
      // and the CG-fitted vector is already close to it
      for (let a = 0; a < 6; a++) expect(Math.abs(folded[a] - model.userFactors[u * 6 + a])).toBeLessThan(0.05);
    }
  });

  it('foldInUser uses the weights it is given (log1p) and rejects unknown items', async () => {
    const train = data();
    const model = new ImplicitALS({ factors: 4, iterations: 3, weighting: 'log1p', alpha: 5 });
    await model.fit(train, { seed: 1 });
    const items = Int32Array.from([1, 2, 3]);
    const light = model.foldInUser(items, Float32Array.from([1, 1, 1]));
    const heavy = model.foldInUser(items, Float32Array.from([50, 50, 50]));
    expect(Array.from(light)).not.toEqual(Array.from(heavy));
    expect(Array.from(model.foldInUser(items))).toEqual(Array.from(light));
    expect(() => model.foldInUser(Int32Array.of(40))).toThrow(RangeError);
    expect(() => model.foldInUser(items, Float32Array.of(1))).toThrow('1 weights for 3 items');
  });

  it('the Cholesky solver gives what CG converges to', async () => {
    const train = data().binarize();
    const exact = new ImplicitALS({ factors: 5, iterations: 4, solver: 'cholesky', regularization: 3 });
    const cg = new ImplicitALS({ factors: 5, iterations: 4, solver: 'cg', cgSteps: 15, regularization: 3 });
    await exact.fit(train, { seed: 3 });
    await cg.fit(train, { seed: 3 });
    for (let k = 0; k < exact.userFactors.length; k++) expect(Math.abs(exact.userFactors[k] - cg.userFactors[k])).toBeLessThan(1e-3);
  });

  it('stops early after `patience` checks without gain and keeps the best iteration', async () => {
    const train = data();
    const scores = [0.3, 0.5, 0.4, 0.45, 0.2, 0.9];
    let calls = 0;
    const model = new ImplicitALS({ factors: 4, iterations: 6, patience: 2, threads: 1 });
    await model.fit(train, { seed: 2, validate: () => scores[calls++] });
    expect(calls).toBe(4); // best at 2, then 3 and 4 without gain
    expect(model.describe()).toMatchObject({ iterationsRun: 4, bestIteration: 2, bestValidationNdcg: 0.5 });
    // what a refit on train ∪ validation takes: the iteration count validation kept
    expect(model.refitParams()).toEqual({ iterations: 2 });
    const two = new ImplicitALS({ factors: 4, iterations: 2, threads: 1 });
    await two.fit(train, { seed: 2 });
    // a fit without validation chose nothing
    expect(two.refitParams()).toEqual({});
    expect(model.userFactors).toEqual(two.userFactors);
    expect(model.itemFactors).toEqual(two.itemFactors);
  });

  it('throws ModelFitError for an empty matrix and for a system that is not positive definite', async () => {
    const empty = data().filterEntries(() => false);
    await expect(new ImplicitALS().fit(empty, { seed: 1 })).rejects.toThrow(ModelFitError);
    // λ = 0 and more factors than items: YᵀY is singular for a user with one item
    const train = data().filterEntries((_, k) => k % 9 === 0);
    const model = new ImplicitALS({ factors: 60, regularization: 0, solver: 'cholesky', iterations: 1 });
    await expect(model.fit(train, { seed: 1 })).rejects.toThrow('not positive definite');
  });

  it('bm25 weighting round-trips through save/load, fold-in included', async () => {
    const train = data().mapValues((v) => v * 3);
    const model = new ImplicitALS({ factors: 4, iterations: 3, weighting: 'bm25', alpha: 2 });
    await model.fit(train, { seed: 4 });
    const dir = await mkdtemp(join(tmpdir(), 'ials-'));
    try {
      await model.save(dir);
      const loaded = await ialsFactory.load(dir);
      const items = Int32Array.from([0, 5]);
      if (!isFactorFoldIn(loaded) || !isExplainer(loaded)) throw new Error('the loaded model lost FactorFoldIn / Explainer');
      expect(loaded.foldInUser(items)).toEqual(model.foldInUser(items));
      expect(loaded.scoreUsers(range(5))).toEqual(model.scoreUsers(range(5)));
      expect(loaded.explain(3, 7)).toEqual(model.explain(3, 7));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explain: the scored value as the cf part; the liked items nearest by item-factor cosine', async () => {
    const train = data();
    const model = new ImplicitALS({ factors: 4, iterations: 3, threads: 1 });
    await model.fit(train, { seed: 4 });
    const f = model.factors;
    const v = model.itemFactors;
    const cos = (i: number, j: number): number => {
      let dot = 0;
      let ni = 0;
      let nj = 0;
      for (let d = 0; d < f; d++) {
        dot += v[i * f + d] * v[j * f + d];
        ni += v[i * f + d] ** 2;
        nj += v[j * f + d] ** 2;
      }
      return dot / Math.sqrt(ni * nj);
    };
    const user = 3;
    const item = 30;
    const e = model.explain(user, item);
    expect(e.score).toBe(model.scoreUsers(Int32Array.of(user))[item]);
    expect(e.contributions).toEqual({ cf: e.score });
    // by hand: the user's items with a positive cosine to the item, the three largest
    const expected = Array.from(train.itemsOf(user))
      .map((j) => ({ item: j, similarity: cos(item, j) }))
      .filter((n) => n.similarity > 0)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 3);
    expect(e.nearestLikedItems.map((n) => n.item)).toEqual(expected.map((n) => n.item));
    e.nearestLikedItems.forEach((n, r) => expect(n.similarity).toBeCloseTo(expected[r].similarity, 6));
    // from liked items: the fold-in score, the basket's nearest items
    const basket = Int32Array.of(1, 2, 20);
    const weights = Float32Array.of(1, 2, 5);
    const b = model.explainFromItems(basket, item, weights);
    expect(b.score).toBe(model.scoreFromItems(basket, weights)[item]);
    expect(b.details).toEqual({ userFactors: 'fold-in' });
    for (const n of b.nearestLikedItems) expect(Array.from(basket)).toContain(n.item);
    expect(() => model.explain(user, 40)).toThrow(RangeError);
    expect(() => model.explain(60, 0)).toThrow(RangeError);
  });
});

describe('AlsEngine', () => {
  function inputsFor(train: Interactions): AlsInputs {
    const f = 8;
    const byItem = train.transpose();
    const init = (n: number, seed: number) => Float32Array.from({ length: n }, (_, k) => Math.sin(k * 12.9898 + seed) * 0.01);
    return {
      factors: f,
      regularization: 1,
      solver: 'cg',
      cgSteps: 3,
      userIndptr: train.indptr,
      userIndices: train.indices,
      userConfidence: train.values.map((v) => 1 + 10 * v),
      itemIndptr: byItem.indptr,
      itemIndices: byItem.indices,
      itemConfidence: byItem.values.map((v) => 1 + 10 * v),
      userFactors: init(train.nUsers * f, 1),
      itemFactors: init(train.nItems * f, 2),
    };
  }

  async function run(buffers: AlsBuffers, iterations: number): Promise<void> {
    const engine = AlsEngine.create(buffers);
    try {
      for (let it = 0; it < iterations; it++) {
        await engine.halfStep('users');
        await engine.halfStep('items');
      }
    } finally {
      await engine.close();
    }
  }

  function maxAbs(a: Float32Array): number {
    let m = 0;
    for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
    return m;
  }

  function maxDifference(a: Float32Array, b: Float32Array): number {
    let worst = 0;
    for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
    return worst;
  }

  it('two worker threads on shared memory give what the inline run gives (JS and SIMD kernels)', async () => {
    const inputs = inputsFor(data().binarize());
    for (const simd of [null, simdKernelModule]) {
      const inline = allocateAlsBuffers(inputs, 1, simd, false);
      const threaded = allocateAlsBuffers(inputs, 2, simd, true);
      expect(threaded.kernel).toBe(simd ? 'simd' : 'js');
      await run(inline, 1);
      await run(threaded, 1);
      // only the order of the YᵀY partial sums differs (float32 for SIMD: 3 CG steps from
      // a perturbed start amplify that by about 10³ per iteration on this tiny problem)
      const tolerance = simd ? 1e-5 : 1e-7;
      expect(maxDifference(threaded.userFactors, inline.userFactors) / maxAbs(inline.userFactors)).toBeLessThan(tolerance);
      expect(maxDifference(threaded.itemFactors, inline.itemFactors) / maxAbs(inline.itemFactors)).toBeLessThan(tolerance);
      expect(maxDifference(threaded.userFactors, inputs.userFactors)).toBeGreaterThan(1e-3);
    }
  });

  it('the SIMD kernels follow the JS kernels through a whole fit', async () => {
    const train = data().binarize();
    const simd = new ImplicitALS({ factors: 8, iterations: 6, regularization: 1, threads: 1 });
    const js = new ImplicitALS({ factors: 8, iterations: 6, regularization: 1, threads: 1, simd: false });
    await simd.fit(train, { seed: 8 });
    await js.fit(train, { seed: 8 });
    expect(simd.describe()).toMatchObject({ kernel: 'simd' });
    expect(js.describe()).toMatchObject({ kernel: 'js' });
    expect(maxDifference(simd.userFactors, js.userFactors)).toBeLessThan(1e-3);
    // and the SIMD scorer gives the JS scores
    const users = range(train.nUsers);
    expect(maxDifference(simd.scoreUsers(users), scoresWithoutSimd(simd, users))).toBeLessThan(1e-5);
  });

  it('factors that are not a multiple of 4 fall back to the JS kernels', async () => {
    const model = new ImplicitALS({ factors: 6, iterations: 1 });
    await model.fit(data(), { seed: 1 });
    expect(model.describe()).toMatchObject({ kernel: 'js' });
    // the SIMD scorer takes any number of factors
    const users = Int32Array.from([0, 3, 5, 7, 9]);
    expect(maxDifference(model.scoreUsers(users), scoresWithoutSimd(model, users))).toBeLessThan(1e-5);
  });
});

function scoresWithoutSimd(model: ImplicitALS, users: Int32Array): Float32Array {
  const out = new Float32Array(users.length * model.nItems);
  scoreUsersByFactors(model.userFactors, users, model.itemFactors, model.nItems, model.factors, out);
  return out;
}
