import { describe, expect, it } from 'vitest';
import { Interactions, Rng, range, recommendTopK, type TopKResult } from '@musicrec/core';
import { clusteredInteractions } from '@musicrec/core/testing';
import { FactorScorer } from './factor-scorer';
import { FactorTopK, factorTopK } from './factor-topk';
import { ImplicitALS } from './ials';
import { simdKernelModule } from './simd-module';

/** Row-major n × f normal factors whose row norms fall off like a popularity curve (so pruning has work to do). */
function spreadFactors(n: number, f: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const a = rng.normalArray(n * f, 1);
  for (let r = 0; r < n; r++) {
    const scale = 1 / Math.pow(1 + ((r * 7) % n), 0.8);
    for (let k = 0; k < f; k++) a[r * f + k] *= scale;
  }
  return a;
}

/** Random sorted exclusions: each user gets up to `perUser` distinct items. */
function randomExclude(nUsers: number, nItems: number, perUser: number, seed: number): Interactions {
  const rng = new Rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = rng.int(perUser + 1);
    for (let j = 0; j < n; j++) {
      users.push(u);
      items.push(rng.int(nItems));
    }
  }
  const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  return Interactions.fromTriples(users, items, null, ids(nUsers, 'u'), ids(nItems, 'i'));
}

/** The reference: score with FactorScorer, select with core's topK. */
function reference(u: Float32Array, v: Float32Array, f: number, users: Int32Array, k: number, exclude?: Interactions): TopKResult {
  const nItems = v.length / f;
  const scorer = new FactorScorer(simdKernelModule, u, v, nItems, f);
  const model = { scoreUsers: (batch: Int32Array, out?: Float32Array) => {
    const o = out ?? new Float32Array(batch.length * nItems);
    scorer.score(batch, o);
    return o;
  } };
  return recommendTopK(model, users, nItems, k, { exclude, batchSize: 7 });
}

function expectSame(got: TopKResult, want: TopKResult): void {
  expect(got.k).toBe(want.k);
  expect(Array.from(got.items)).toEqual(Array.from(want.items));
  expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
}

describe('FactorTopK', () => {
  it('equals scoring every item then core topK, for odd f, a partial last panel and chunk, and exclusions', () => {
    for (const f of [7, 16]) {
      const nUsers = 137; // more than one 128-user chunk, not a multiple of 4
      const nItems = 61; // not a multiple of 8
      const u = spreadFactors(nUsers, f, 1);
      const v = spreadFactors(nItems, f, 2);
      const exclude = randomExclude(nUsers, nItems, 12, 3);
      const users = Int32Array.from({ length: 150 }, (_, b) => (b * 31) % nUsers); // repeats allowed
      const topk = new FactorTopK(u, v, f);
      for (const k of [1, 5, 20]) {
        expectSame(topk.recommendInline(users, k, exclude), reference(u, v, f, users, k, exclude));
        expectSame(topk.recommendInline(users, k), reference(u, v, f, users, k));
      }
    }
  });

  it('fills with -1 and −∞ when fewer than k items remain, like topK', () => {
    const f = 4;
    const u = spreadFactors(5, f, 4);
    const v = spreadFactors(9, f, 5);
    const exclude = randomExclude(5, 9, 6, 6);
    const users = range(5);
    const got = new FactorTopK(u, v, f).recommendInline(users, 12, exclude);
    expectSame(got, reference(u, v, f, users, 12, exclude));
    expect(got.items[11]).toBe(-1);
    expect(got.scores[11]).toBe(-Infinity);
  });

  it('breaks ties by the lower item index even though items are visited by norm', () => {
    const f = 4;
    // items 0..15 are four copies each of four vectors; the larger norms come later in index
    const v = new Float32Array(16 * f);
    for (let i = 0; i < 16; i++) {
      const base = [1, 2, 3, 4][i % 4];
      for (let k = 0; k < f; k++) v[i * f + k] = base * (k + 1) * 0.1;
    }
    const u = Float32Array.from([1, 1, 1, 1, -1, -1, -1, -1]);
    const users = Int32Array.from([0, 1]);
    const got = new FactorTopK(u, v, f).recommendInline(users, 6);
    expectSame(got, reference(u, v, f, users, 6));
    // user 0 likes the largest vector (items 3, 7, 11, 15) best, lowest index first
    expect(Array.from(got.items.subarray(0, 6))).toEqual([3, 7, 11, 15, 2, 6]);
    expect(Array.from(got.items.subarray(6, 12))).toEqual([0, 4, 8, 12, 1, 5]);
  });

  it('known answer: with one-hot factors user u ranks item u first, and never an excluded item', () => {
    const n = 12;
    const u = new Float32Array(n * n);
    const v = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      u[i * n + i] = 1;
      v[i * n + i] = 1 + i / 100;
      v[i * n + ((i + 1) % n)] = 0.5; // item i also scores 0.5 for user i + 1
    }
    const got = new FactorTopK(u, v, n).recommendInline(range(n), 2);
    for (let b = 0; b < n; b++) {
      expect(got.items[2 * b]).toBe(b);
      expect(got.items[2 * b + 1]).toBe((b + n - 1) % n);
    }
    const withoutSelf = Interactions.fromTriples(
      range(n),
      range(n),
      null,
      Array.from({ length: n }, (_, i) => `u${i}`),
      Array.from({ length: n }, (_, i) => `i${i}`),
    );
    const excluded = new FactorTopK(u, v, n).recommendInline(range(n), 1, withoutSelf);
    for (let b = 0; b < n; b++) expect(excluded.items[b]).toBe((b + n - 1) % n);
  });

  it('two worker threads give the inline result, also after the memory grows for a bigger call', async () => {
    const f = 8;
    const u = spreadFactors(300, f, 7);
    const v = spreadFactors(90, f, 8);
    const exclude = randomExclude(300, 90, 10, 9);
    const topk = new FactorTopK(u, v, f);
    try {
      const small = Int32Array.from([5, 6, 7]);
      expectSame(await topk.recommend(small, 3, exclude, { threads: 2 }), topk.recommendInline(small, 3, exclude));
      const all = range(300);
      expectSame(await topk.recommend(all, 40, exclude, { threads: 2 }), reference(u, v, f, all, 40, exclude));
      expectSame(await factorTopK(u, v, f, all, 10, exclude, { threads: 2 }), reference(u, v, f, all, 10, exclude));
    } finally {
      await topk.close();
    }
  });

  it('says what is wrong with its arguments', () => {
    const u = new Float32Array(8);
    const v = new Float32Array(12);
    expect(() => new FactorTopK(u, new Float32Array(10), 4)).toThrow(/not multiples of dim 4/);
    expect(() => new FactorTopK(u, v, 0)).toThrow(/dim must be a positive integer/);
    const topk = new FactorTopK(u, v, 4);
    expect(() => topk.recommendInline(Int32Array.from([2]), 1)).toThrow(/user index 2 out of range \[0, 2\)/);
    expect(() => topk.recommendInline(Int32Array.from([0]), -1)).toThrow(/k must be an integer/);
    expect(() => topk.recommendInline(Int32Array.from([0]), 1, randomExclude(3, 3, 1, 1))).toThrow(/exclude is 3 × 3/);
    expect(topk.recommendInline(Int32Array.from([0, 1]), 0).items.length).toBe(0);
  });
});

describe('ImplicitALS.recommendAll', () => {
  it('equals recommendTopK over scoreUsers, train items excluded', async () => {
    const train = clusteredInteractions({ nUsers: 70, nItems: 45, nClusters: 3, itemsPerUser: 8, seed: 11 });
    for (const factors of [8, 6]) {
      const model = new ImplicitALS({ factors, iterations: 4, regularization: 1, alpha: 10, threads: 1, validateEvery: 0 });
      await model.fit(train, { seed: 3 });
      const users = range(train.nUsers);
      const got = await model.recommendAll(users, 10, train);
      expectSame(got, recommendTopK(model, users, train.nItems, 10, { exclude: train }));
      const threaded = await model.recommendAll(users, 10, train, { threads: 2 });
      expectSame(threaded, got);
    }
  });
});
