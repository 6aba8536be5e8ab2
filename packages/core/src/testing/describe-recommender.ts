import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExplainer, isRefittable, isSimilarItems } from '../abilities';
import { isColdStartScorer } from '../cold-start';
import type { Interactions } from '../interactions';
import type { Recommender, RecommenderFactory } from '../recommender';
import { recommendTopK, range } from '../recommender';
import { checkerboard } from './checkerboard';
import { clusteredInteractions } from './clustered-interactions';
import { perUserHoldout } from './holdout';
import { meanNdcgAtK, popularityNdcgAtK } from './ranking-quality';

export interface RecommenderSuiteOptions {
  /** Restores a saved model (the save → load round trip). */
  factory: Pick<RecommenderFactory, 'load'>;
  /** Seed passed to every fit (default 42). */
  seed?: number;
  /**
   * Largest allowed |difference| between scores after save → load and between two fits
   * with the same seed. 0 (default) demands exact equality, right for deterministic CPU models.
   */
  scoreTolerance?: number;
  /** Run the checkerboard known-answer test (default true; popularity cannot pass it). */
  knownAnswer?: boolean;
  /** Check that the model beats popularity on NDCG@10 (default true; off for popularity itself). */
  beatsPopularity?: boolean;
  /**
   * Matrix for the "beats popularity" check (a seeded per-user 80/20 holdout is taken from it).
   * Default: the kit's `clusteredInteractions()`; pass `generateSynthetic(...)` output from
   * `@musicrec/data` to test on that instead.
   */
  learnData?: () => Interactions;
}

/** Small matrix for the contract checks: quick to fit for every model. */
function contractData(): Interactions {
  return clusteredInteractions({ nUsers: 40, nItems: 30, nClusters: 3, itemsPerUser: 8, seed: 11 });
}

async function fitted(makeModel: () => Recommender, train: Interactions, seed: number): Promise<Recommender> {
  const model = makeModel();
  await model.fit(train, { seed });
  return model;
}

function expectScoresMatch(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  if (tolerance === 0) {
    expect(actual).toEqual(expected);
    return;
  }
  let worst = 0;
  for (let k = 0; k < actual.length; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/**
 * The shared test suite every recommender in the repo runs (implicit's test mixin, LensKit's
 * ScorerTests): score shape and `out` buffer, seen-item exclusion, save → load → same scores,
 * seed reproducibility, a checkerboard known answer, beating popularity on held-out data, and
 * RangeError for unknown users. `makeModel` returns a fresh, unfitted model each call.
 */
export function describeRecommender(
  name: string,
  makeModel: () => Recommender,
  options: RecommenderSuiteOptions,
): void {
  const seed = options.seed ?? 42;
  const tolerance = options.scoreTolerance ?? 0;

  describe(`${name}: shared recommender suite`, () => {
    it('scoreUsers returns users × nItems finite scores and fills a given out buffer', async () => {
      const train = contractData();
      const model = await fitted(makeModel, train, seed);
      const users = Int32Array.from([3, 0, train.nUsers - 1, 3]);
      const scores = model.scoreUsers(users);
      expect(scores.length).toBe(users.length * train.nItems);
      expect(scores.every(Number.isFinite)).toBe(true);
      // the same user twice gets the same row
      expect(scores.subarray(0, train.nItems)).toEqual(scores.subarray(3 * train.nItems));

      const out = new Float32Array(users.length * train.nItems).fill(Number.NaN);
      const returned = model.scoreUsers(users, out);
      expect(returned).toBe(out);
      expect(out).toEqual(scores);
    });

    it('recommendTopK with exclude: train returns distinct unseen items', async () => {
      const train = contractData();
      const model = await fitted(makeModel, train, seed);
      const k = 10;
      const users = range(train.nUsers);
      const top = recommendTopK(model, users, train.nItems, k, { exclude: train, batchSize: 7 });
      for (let u = 0; u < train.nUsers; u++) {
        const list = Array.from(top.items.subarray(u * k, u * k + k)).filter((i) => i >= 0);
        expect(list.length).toBe(Math.min(k, train.nItems - train.rowLength(u)));
        expect(new Set(list).size).toBe(list.length);
        for (const i of list) expect(train.has(u, i)).toBe(false);
      }
    });

    it('save → factory.load gives the same scores', async () => {
      const train = contractData();
      const model = await fitted(makeModel, train, seed);
      const dir = await mkdtemp(join(tmpdir(), `musicrec-suite-${name}-`));
      try {
        await model.save(dir);
        const loaded = await options.factory.load(dir);
        expect(loaded.name).toBe(model.name);
        expect(loaded.params).toEqual(model.params);
        const users = range(train.nUsers);
        expectScoresMatch(loaded.scoreUsers(users), model.scoreUsers(users), tolerance);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('the same seed gives the same scores on two fresh fits', async () => {
      const train = contractData();
      const a = await fitted(makeModel, train, seed);
      const b = await fitted(makeModel, train, seed);
      const users = range(train.nUsers);
      expectScoresMatch(a.scoreUsers(users), b.scoreUsers(users), tolerance);
    });

    it.skipIf(options.knownAnswer === false)('checkerboard: the one unseen item of the own group is the top recommendation', async () => {
      const { train, heldOut } = checkerboard();
      const model = await fitted(makeModel, train, seed);
      const top = recommendTopK(model, range(train.nUsers), train.nItems, 1, { exclude: train });
      expect(Array.from(top.items)).toEqual(Array.from(heldOut));
    });

    it.skipIf(options.beatsPopularity === false)('beats popularity on NDCG@10 over a seeded holdout', async () => {
      const data = options.learnData ? options.learnData() : clusteredInteractions();
      const { train, test } = perUserHoldout(data, seed);
      const model = await fitted(makeModel, train, seed);
      const ndcg = meanNdcgAtK(model, train, test, 10);
      const baseline = popularityNdcgAtK(train, test, 10);
      expect(ndcg).toBeGreaterThan(baseline);
    });

    it('every ability the model declares keeps its contract', async () => {
      const train = contractData();
      const model = await fitted(makeModel, train, seed);
      const n = train.nItems;
      const basket = train.itemsOf(2);
      if (isColdStartScorer(model)) {
        const scores = model.scoreFromItems(basket);
        expect(scores.length).toBe(n);
        const out = new Float32Array(n).fill(Number.NaN);
        expect(model.scoreFromItems(basket, undefined, out)).toBe(out);
        expect(out).toEqual(scores);
      }
      if (isSimilarItems(model)) {
        for (const item of [0, 7, n - 1]) {
          const r = model.similarItems(item, 5);
          expect(r.k).toBe(5);
          expect(r.items.length).toBe(5);
          expect(r.scores.length).toBe(5);
          // valid items first, then only -1 / −Infinity padding
          const found = Array.from(r.items).findIndex((i) => i < 0);
          const list = Array.from(r.items.subarray(0, found < 0 ? 5 : found));
          for (let j = list.length; j < 5; j++) {
            expect(r.items[j]).toBe(-1);
            expect(r.scores[j]).toBe(-Infinity);
          }
          expect(list).not.toContain(item);
          expect(new Set(list).size).toBe(list.length);
          for (const i of list) expect(Number.isInteger(i) && i >= 0 && i < n).toBe(true);
          for (let j = 1; j < list.length; j++) expect(r.scores[j]).toBeLessThanOrEqual(r.scores[j - 1]);
        }
        // asking for the whole catalogue still leaves the item out
        const all = model.similarItems(3, n);
        expect(Array.from(all.items)).not.toContain(3);
      }
      if (isExplainer(model)) {
        // contributions are additive parts of the score (when the model has parts)
        const additive = (e: { score: number; contributions: Record<string, number> }): void => {
          const parts = Object.values(e.contributions);
          if (parts.length === 0) return;
          const sum = parts.reduce((a, x) => a + x, 0);
          expect(Math.abs(sum - e.score)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e.score)));
        };
        const row = model.scoreUsers(Int32Array.of(2));
        for (const item of [0, 5, n - 1]) {
          const e = model.explain(2, item);
          expect(e.score).toBeCloseTo(row[item], 4);
          expect(typeof e.contributions).toBe('object');
          additive(e);
          for (const nb of e.nearestLikedItems) expect(train.has(2, nb.item)).toBe(true);
        }
        if (isColdStartScorer(model)) {
          const fromItems = model.scoreFromItems(basket);
          const e = model.explainFromItems(basket, 4);
          expect(e.score).toBeCloseTo(fromItems[4], 4);
          additive(e);
          for (const nb of e.nearestLikedItems) expect(Array.from(basket)).toContain(nb.item);
          // with weights, the explanation follows the weighted scoring
          const weights = Float32Array.from(basket, (_, q) => 1 + q);
          expect(model.explainFromItems(basket, 4, weights).score).toBeCloseTo(model.scoreFromItems(basket, weights)[4], 4);
        }
      }
      if (isRefittable(model)) {
        const p = model.refitParams();
        expect(typeof p === 'object' && p !== null && !Array.isArray(p)).toBe(true);
        // fitted without a validation set: nothing was chosen on validation
        expect(p).toEqual({});
      }
    });

    it('unknown user index → RangeError', async () => {
      const train = contractData();
      const model = await fitted(makeModel, train, seed);
      expect(() => model.scoreUsers(Int32Array.of(train.nUsers))).toThrow(RangeError);
      expect(() => model.scoreUsers(Int32Array.of(-1))).toThrow(RangeError);
    });
  });
}
