import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, Interactions, ModelFitError, Rng } from '@musicrec/core';
import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { describe, expect, it } from 'vitest';
import { funkSvdDefaults, funkSvdSearchSpace, resolveFunkSvdConfig } from './config';
import { funkSvdFactory } from './factory';
import { FunkSvdRecommender } from './funk-svd';

// The suite's data is binary: every observed rating is log1p(1), so a rating model has nothing
// to rank by and cannot pass the checkerboard or beat popularity there. The contract checks
// (shapes, exclusion, save/load, seeds, RangeError) still apply.
describeRecommender('funk-svd', () => new FunkSvdRecommender({ epochs: 20 }), {
  factory: funkSvdFactory,
  knownAnswer: false,
  beatsPopularity: false,
});

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

/** Fully observed rank-1 ratings r_ui = a_u · b_i. */
function rankOne(): Interactions {
  const a = [1, 2, 3, 1.5, 2.5, 0.5];
  const b = [1, 0.5, 2, 1.5, 1];
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < a.length; u++) for (let i = 0; i < b.length; i++) {
    users.push(u);
    items.push(i);
    values.push(a[u] * b[i]);
  }
  return Interactions.fromTriples(users, items, values, ids(a.length, 'u'), ids(b.length, 'i'));
}

function pairsOf(m: Interactions): { users: Int32Array; items: Int32Array } {
  const users = new Int32Array(m.nnz);
  for (let u = 0; u < m.nUsers; u++) users.fill(u, m.indptr[u], m.indptr[u + 1]);
  return { users, items: m.indices };
}

function rmse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s / a.length);
}

/** Play counts on a clustered pattern whose log scale follows user taste × item kind, plus noise. */
function playCounts(): Interactions {
  return withCounts(clusteredInteractions({ nUsers: 60, nItems: 40, nClusters: 3, itemsPerUser: 12, seed: 5 }));
}

/** 60% of a 50 × 30 rank-1 matrix, r = a_u·b_i + N(0, 0.5²): learnable, and overfittable. */
function noisyRankOne(): Interactions {
  const rng = new Rng(12);
  const a = Array.from({ length: 50 }, () => 0.5 + 2 * rng.next());
  const b = Array.from({ length: 30 }, () => 0.5 + 2 * rng.next());
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < a.length; u++) for (let i = 0; i < b.length; i++) {
    if (rng.next() < 0.4) continue;
    users.push(u);
    items.push(i);
    values.push(a[u] * b[i] + 0.5 * rng.normal());
  }
  return Interactions.fromTriples(users, items, values, ids(a.length, 'u'), ids(b.length, 'i'));
}

function withCounts(base: Interactions): Interactions {
  const values = new Float32Array(base.nnz);
  for (let u = 0; u < base.nUsers; u++) {
    for (let k = base.indptr[u]; k < base.indptr[u + 1]; k++) {
      const i = base.indices[k];
      // user taste (u mod 3) × item kind (i mod 3) decides the scale of the count
      values[k] = Math.round(Math.exp(1 + 2 * (((u % 3) + (i % 3)) % 3) + 0.5 * (k % 2)));
    }
  }
  return new Interactions(base.indptr, base.indices, values, base.userIds, base.itemIds);
}

describe('Funk-SVD config', () => {
  it('fills defaults and names bad options', () => {
    expect(resolveFunkSvdConfig({ reg: 0.3 })).toEqual({ ...funkSvdDefaults, reg: 0.3 });
    expect(() => resolveFunkSvdConfig({ biasReg: null as never })).toThrow(/"biasReg" must be a number/);
    for (const key of Object.keys(funkSvdSearchSpace)) expect(key in funkSvdDefaults).toBe(true);
    expect(() => new FunkSvdRecommender({ lr: 0.1 } as never)).toThrow(ConfigError);
    expect(() => new FunkSvdRecommender({ transform: 'log' as never })).toThrow(/"transform" must be "log1p" or "none"/);
    expect(() => new FunkSvdRecommender({ biasReg: -0.1 })).toThrow(/"biasReg" must be a number >= 0/);
    expect(() => new FunkSvdRecommender({ epochs: 1.5 })).toThrow(/"epochs" must be an integer >= 0/);
  });
});

describe('FunkSvdRecommender', () => {
  it('recovers a fully observed rank-1 matrix: train RMSE → ~0', async () => {
    const train = rankOne();
    const model = new FunkSvdRecommender({ factors: 2, epochs: 3000, learningRate: 0.02, reg: 0, transform: 'none' });
    await model.fit(train, { seed: 1 });
    const { users, items } = pairsOf(train);
    const predicted = model.predictPairs(users, items);
    expect(rmse(predicted, train.values)).toBeLessThan(0.01);
    expect(model.mean).toBeCloseTo(train.values.reduce((s, v) => s + v, 0) / train.nnz, 5);
    expect([model.minRating, model.maxRating]).toEqual([0.25, 6]);
  });

  it('fits log1p of the weights by default and predicts on that scale', async () => {
    const train = Interactions.fromTriples([0, 0, 1], [0, 1, 1], [0, Math.E - 1, Math.E ** 2 - 1], ids(2, 'u'), ids(2, 'i'));
    const model = new FunkSvdRecommender({ epochs: 0 });
    const ratings = model.ratingsOf(train);
    [0, 1, 2].forEach((r, k) => expect(ratings[k]).toBeCloseTo(r, 6));
    await model.fit(train, { seed: 1 });
    expect(model.mean).toBeCloseTo(1, 6);
    // no epoch ran: biases are 0, so a pair's prediction is μ + p_u·q_i with tiny initial factors
    expect(model.predictPairs(Int32Array.of(0), Int32Array.of(0))[0]).toBeCloseTo(1, 1);
  });

  it('predictPairs = μ + b_u + b_i + p_u·q_i (clipped to the training range); scoreUsers unclipped', async () => {
    const train = withCounts(clusteredInteractions({ nUsers: 30, nItems: 20, seed: 3 }));
    const clipped = new FunkSvdRecommender({ factors: 4, epochs: 5 });
    await clipped.fit(train, { seed: 2 });
    const u = 4;
    const scores = clipped.scoreUsers(Int32Array.of(u));
    const items = Int32Array.from({ length: train.nItems }, (_, i) => i);
    const predicted = clipped.predictPairs(new Int32Array(train.nItems).fill(u), items);
    for (let i = 0; i < train.nItems; i++) {
      let r = clipped.mean + clipped.userBias[u] + clipped.itemBias[i];
      for (let f = 0; f < 4; f++) r += clipped.userFactors[u * 4 + f] * clipped.itemFactors[i * 4 + f];
      expect(scores[i]).toBeCloseTo(r, 5);
      expect(predicted[i]).toBeCloseTo(Math.min(clipped.maxRating, Math.max(clipped.minRating, r)), 5);
    }
    expect(() => clipped.predictPairs(Int32Array.of(0, 1), Int32Array.of(0))).toThrow(/2 users but 1 items/);
    expect(() => clipped.predictPairs(Int32Array.of(0), Int32Array.of(train.nItems))).toThrow(RangeError);
    expect(() => clipped.predictPairs(Int32Array.of(-1), Int32Array.of(0))).toThrow(/user index -1 \(pair 0\)/);
  });

  it('the same seed reproduces every parameter; another seed does not', async () => {
    const train = playCounts();
    const fit = async (seed: number) => {
      const m = new FunkSvdRecommender({ factors: 6, epochs: 4 });
      await m.fit(train, { seed });
      return m;
    };
    const [a, b, c] = [await fit(7), await fit(7), await fit(8)];
    expect(a.userFactors).toEqual(b.userFactors);
    expect(a.itemFactors).toEqual(b.itemFactors);
    expect(a.userBias).toEqual(b.userBias);
    expect(a.itemBias).toEqual(b.itemBias);
    expect(a.itemFactors).not.toEqual(c.itemFactors);
  });

  it('similarItems: cosine over the item factors (not the biases), the item itself left out', () => {
    const model = new FunkSvdRecommender({ factors: 2 });
    expect(() => model.similarItems(0, 1)).toThrow(ModelFitError);
    // items in 2-d: 0 = (1, 1), 1 = (-2, -2), 2 = (3, 0); a large bias on item 1 does not matter
    model.itemFactors = Float32Array.of(1, 1, -2, -2, 3, 0);
    model.itemBias = Float32Array.of(0, 5, 0);
    const r = model.similarItems(0, 3);
    expect(Array.from(r.items)).toEqual([2, 1, -1]);
    expect(r.scores[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(r.scores[1]).toBeCloseTo(-1, 6);
  });

  it('stops on validation RMSE and keeps the parameters with the lowest one', async () => {
    const all = noisyRankOne();
    // every 5th entry is validation
    const validation = all.filterEntries((_, k) => k % 5 === 0);
    const train = all.filterEntries((_, k) => k % 5 !== 0);
    const model = new FunkSvdRecommender({ factors: 16, epochs: 300, learningRate: 0.02, reg: 0, patience: 3, transform: 'none' });
    const curve: number[] = [];
    await model.fit(train, { seed: 4, validation, onProgress: (e) => curve.push(e.metrics!.validationRmse) });
    const info = model.describe() as { epochsRun: number; bestEpoch: number; bestValidationRmse: number };
    // without regularisation it overfits, so it stops early, three checks after its best
    expect(info.epochsRun).toBeLessThan(300);
    expect(info.epochsRun - info.bestEpoch).toBe(3);
    expect(info.bestValidationRmse).toBe(Math.min(...curve));
    // what a refit on train ∪ validation takes
    expect(model.refitParams()).toEqual({ epochs: info.bestEpoch });
    // the kept parameters are the best epoch's: their validation RMSE is the best one
    const { users, items } = pairsOf(validation);
    expect(rmse(model.predictPairs(users, items), model.ratingsOf(validation))).toBeCloseTo(info.bestValidationRmse, 5);
    // and it learned the structure: near the noise floor (σ = 0.5), far below predicting the global mean
    const meanOnly = new Float32Array(validation.nnz).fill(model.mean);
    expect(info.bestValidationRmse).toBeLessThan(0.6);
    expect(rmse(meanOnly, model.ratingsOf(validation))).toBeGreaterThan(1);
  });

  it('names the user, item and field of a weight the transform cannot take', async () => {
    const bad = Interactions.fromTriples([0, 1], [0, 1], [3, -2], ['alice', 'bob'], ['x', 'y']);
    const fit = new FunkSvdRecommender().fit(bad, { seed: 1 });
    await expect(fit).rejects.toThrow(DataError);
    await expect(new FunkSvdRecommender().fit(bad, { seed: 1 })).rejects.toThrow(/field "train.values": funk-svd: weight -2 of user "bob", item "y" gives rating NaN/);
  });

  it('refuses empty data, a validation matrix of another shape, and diverging SGD', async () => {
    await expect(new FunkSvdRecommender().fit(Interactions.empty(ids(2, 'u'), ids(2, 'i')), { seed: 1 })).rejects.toThrow(/no interactions/);
    const train = rankOne();
    const validation = Interactions.fromTriples([0], [0], [1], ids(2, 'u'), ids(5, 'i'));
    await expect(new FunkSvdRecommender().fit(train, { seed: 1, validation })).rejects.toThrow(/validation is 2 × 5, train is 6 × 5/);
    const diverging = new FunkSvdRecommender({ learningRate: 1e30, transform: 'none', validateEvery: 0 });
    await expect(diverging.fit(train, { seed: 1 })).rejects.toThrow(ModelFitError);
    expect(() => new FunkSvdRecommender().predictPairs(Int32Array.of(0), Int32Array.of(0))).toThrow(/before fit/);
  });

  it('save → load keeps μ, the clipping range and predictions; a broken file is a DataError', async () => {
    const train = playCounts();
    const model = new FunkSvdRecommender({ factors: 4, epochs: 3 });
    await model.fit(train, { seed: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'funk-svd-'));
    try {
      await model.save(dir);
      const loaded = await FunkSvdRecommender.load(dir);
      expect([loaded.mean, loaded.minRating, loaded.maxRating]).toEqual([model.mean, model.minRating, model.maxRating]);
      const { users, items } = pairsOf(train);
      expect(loaded.predictPairs(users, items)).toEqual(model.predictPairs(users, items));
      await writeFile(join(dir, 'userBias.bin'), new Uint8Array(8));
      await expect(FunkSvdRecommender.load(dir)).rejects.toThrow(DataError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
