import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, Interactions, ModelFitError, range } from '@musicrec/core';
import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { describe, expect, it } from 'vitest';
import { BprRecommender } from './bpr';
import { bprDefaults, bprSearchSpace, resolveBprConfig } from './config';
import { bprFactory } from './factory';
import { scoreLatent } from './latent-scores';

describeRecommender('bpr (popularity negatives)', () => new BprRecommender({ epochs: 60 }), { factory: bprFactory });
describeRecommender('bpr (uniform negatives)', () => new BprRecommender({ epochs: 60, sampling: 'uniform' }), { factory: bprFactory });

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
const small = () => clusteredInteractions({ nUsers: 40, nItems: 30, nClusters: 3, itemsPerUser: 8, seed: 11 });

describe('BPR config', () => {
  it('fills defaults, keeps per-group regularisation unset (= reg) and tunes only known keys', () => {
    const c = resolveBprConfig({ reg: 0.002 });
    expect(c).toEqual({ ...bprDefaults, reg: 0.002 });
    expect(c.userReg).toBeNull();
    for (const key of Object.keys(bprSearchSpace)) expect(key in bprDefaults).toBe(true);
    expect(bprSearchSpace.sampling).toEqual(['uniform', 'popularity']);
  });

  it('names the bad option', () => {
    expect(() => new BprRecommender({ factor: 8 } as never)).toThrow(ConfigError);
    expect(() => new BprRecommender({ factor: 8 } as never)).toThrow(/unknown option "factor"/);
    expect(() => new BprRecommender({ sampling: 'zipf' as never })).toThrow(/"sampling" must be "uniform" or "popularity"/);
    expect(() => new BprRecommender({ factors: 0 })).toThrow(/"factors" must be an integer >= 1/);
    expect(() => new BprRecommender({ learningRate: 0 })).toThrow(/"learningRate" must be > 0/);
    expect(() => new BprRecommender({ negItemReg: -1 })).toThrow(/"negItemReg" must be a number >= 0/);
    expect(() => new BprRecommender({ userReg: 'high' as never })).toThrow(/"userReg" must be a number >= 0/);
  });
});

describe('BprRecommender', () => {
  it('exposes factors with the documented shapes and scores = item bias + p_u·q_i', async () => {
    const train = small();
    const model = new BprRecommender({ factors: 5, epochs: 3 });
    await model.fit(train, { seed: 1 });
    expect(model.factors).toBe(5);
    expect(model.userFactors.length).toBe(train.nUsers * 5);
    expect(model.itemFactors.length).toBe(train.nItems * 5);
    const u = 7;
    const i = 12;
    let expected = model.itemBias[i];
    for (let f = 0; f < 5; f++) expected += model.userFactors[u * 5 + f] * model.itemFactors[i * 5 + f];
    expect(model.scoreUsers(Int32Array.of(u))[i]).toBeCloseTo(expected, 5);
  });

  it('the same seed reproduces every factor; another seed does not', async () => {
    const train = small();
    const fit = async (seed: number, sampling: 'uniform' | 'popularity') => {
      const m = new BprRecommender({ factors: 8, epochs: 5, sampling });
      await m.fit(train, { seed });
      return m;
    };
    for (const sampling of ['uniform', 'popularity'] as const) {
      const a = await fit(3, sampling);
      const b = await fit(3, sampling);
      const c = await fit(4, sampling);
      expect(a.userFactors).toEqual(b.userFactors);
      expect(a.itemFactors).toEqual(b.itemFactors);
      expect(a.itemBias).toEqual(b.itemBias);
      expect(a.itemFactors).not.toEqual(c.itemFactors);
    }
  });

  it('learns to rank the items of its block above every item of the other block', async () => {
    // users 0–9 have items 0–4, users 10–19 have items 5–9 (all of their block)
    const users: number[] = [];
    const items: number[] = [];
    for (let u = 0; u < 20; u++) for (let k = 0; k < 5; k++) {
      users.push(u);
      items.push(u < 10 ? k : 5 + k);
    }
    const train = Interactions.fromTriples(users, items, null, ids(20, 'u'), ids(10, 'i'));
    const model = new BprRecommender({ factors: 4, epochs: 50, learningRate: 0.1 });
    await model.fit(train, { seed: 5 });
    const scores = model.scoreUsers(range(20));
    for (let u = 0; u < 20; u++) {
      const own = u < 10 ? 0 : 5;
      const other = u < 10 ? 5 : 0;
      let worstOwn = Infinity;
      let bestOther = -Infinity;
      for (let k = 0; k < 5; k++) {
        worstOwn = Math.min(worstOwn, scores[u * 10 + own + k]);
        bestOther = Math.max(bestOther, scores[u * 10 + other + k]);
      }
      expect(worstOwn).toBeGreaterThan(bestOther);
    }
  });

  it('similarItems: cosine over the item factors (not the bias), the item itself left out', () => {
    const model = new BprRecommender({ factors: 2 });
    expect(() => model.similarItems(0, 1)).toThrow(ModelFitError);
    // items in 2-d: 0 = (1, 0), 1 = (3, 3), 2 = (0, 2), 3 = (2, 0.5); item 2's large bias does not matter
    model.itemFactors = Float32Array.of(1, 0, 3, 3, 0, 2, 2, 0.5);
    model.itemBias = Float32Array.of(0, 0, 10, 0);
    model.nItems = 4;
    const r = model.similarItems(0, 3);
    // cos(0, 3) = 2 / √4.25 ≈ .970, cos(0, 1) = 1/√2, cos(0, 2) = 0
    expect(Array.from(r.items)).toEqual([3, 1, 2]);
    expect(r.scores[0]).toBeCloseTo(2 / Math.sqrt(4.25), 6);
    expect(r.scores[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(r.scores[2]).toBeCloseTo(0, 6);
    expect(Array.from(model.similarItems(2, 4).items)).toEqual([1, 3, 0, -1]);
  });

  it('early stopping keeps the factors of the best validation check', async () => {
    const train = small();
    const curve = [0.1, 0.5, 0.3, 0.2, 0.9];
    const seen: number[] = [];
    const stopped = new BprRecommender({ factors: 6, epochs: 10, validateEvery: 1, patience: 2 });
    await stopped.fit(train, {
      seed: 8,
      validate: () => {
        seen.push(curve[seen.length]);
        return seen[seen.length - 1];
      },
    });
    // checks after epochs 1..4: best at epoch 2, then two without gain → stop before epoch 5
    expect(seen).toEqual([0.1, 0.5, 0.3, 0.2]);
    expect(stopped.describe()).toMatchObject({ epochsRun: 4, bestEpoch: 2, bestValidationNdcg: 0.5 });
    // the same seed run for exactly 2 epochs holds the very same parameters
    const twoEpochs = new BprRecommender({ factors: 6, epochs: 2, validateEvery: 1, patience: 2 });
    await twoEpochs.fit(train, { seed: 8 });
    expect(stopped.userFactors).toEqual(twoEpochs.userFactors);
    expect(stopped.itemFactors).toEqual(twoEpochs.itemFactors);
    expect(stopped.itemBias).toEqual(twoEpochs.itemBias);
    // what a refit on train ∪ validation takes; a fit without validation chose nothing
    expect(stopped.refitParams()).toEqual({ epochs: 2 });
    expect(twoEpochs.refitParams()).toEqual({});
  });

  it('validates every validateEvery epochs and at the last one; 0 never', async () => {
    const train = small();
    let calls = 0;
    await new BprRecommender({ factors: 4, epochs: 7, validateEvery: 3, patience: 5 }).fit(train, { seed: 1, validate: () => ++calls });
    expect(calls).toBe(3); // epochs 3, 6, 7
    calls = 0;
    await new BprRecommender({ factors: 4, epochs: 7, validateEvery: 0 }).fit(train, { seed: 1, validate: () => ++calls });
    expect(calls).toBe(0);
  });

  it('never trains on a negative the user has: a user with every item is skipped, not learned', async () => {
    // u0 has all 3 items, u1 has item 0 only
    const train = Interactions.fromTriples([0, 0, 0, 1], [0, 1, 2, 0], null, ids(2, 'u'), ids(3, 'i'));
    const model = new BprRecommender({ factors: 2, epochs: 4 });
    await model.fit(train, { seed: 2 });
    const info = model.describe() as { skippedTriples: number };
    expect(info.skippedTriples).toBeGreaterThan(0);
    // u0's factors got only initial values: every triple of u0 is skipped, so they never move
    const init = new BprRecommender({ factors: 2, epochs: 0 });
    await init.fit(train, { seed: 2 });
    expect(model.userFactors.subarray(0, 2)).toEqual(init.userFactors.subarray(0, 2));
  });

  it('diverging SGD is a ModelFitError that says what to change', async () => {
    const model = new BprRecommender({ factors: 4, epochs: 5, learningRate: 1e38, initStd: 1 });
    await expect(model.fit(small(), { seed: 1 })).rejects.toThrow(ModelFitError);
    await expect(model.fit(small(), { seed: 1 })).rejects.toThrow(/lower learningRate/);
  });

  it('refuses empty data and single-item catalogues', async () => {
    await expect(new BprRecommender().fit(Interactions.empty(ids(3, 'u'), ids(4, 'i')), { seed: 1 })).rejects.toThrow(/no interactions/);
    const one = Interactions.fromTriples([0], [0], null, ids(1, 'u'), ids(1, 'i'));
    await expect(new BprRecommender().fit(one, { seed: 1 })).rejects.toThrow(/at least 2 items/);
    expect(() => new BprRecommender().scoreUsers(Int32Array.of(0))).toThrow(/before fit/);
  });

  it('load names the file and field of a broken or foreign model directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpr-load-'));
    try {
      const model = new BprRecommender({ factors: 3, epochs: 1 });
      await model.fit(small(), { seed: 1 });
      await model.save(dir);
      await writeFile(join(dir, 'itemBias.bin'), new Uint8Array(4));
      await expect(BprRecommender.load(dir)).rejects.toThrow(DataError);
      await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 1, meta: { model: 'ials' }, arrays: {} }));
      await expect(BprRecommender.load(dir)).rejects.toThrow(/field "meta.model"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scoreLatent', () => {
  it('equals constant + user offset + item offset + dot product, for blocks of 4 users and the remainder', () => {
    const F = 3;
    const nUsers = 6;
    const nItems = 5;
    const P = Float32Array.from({ length: nUsers * F }, (_, k) => ((k * 7) % 11) / 10 - 0.5);
    const Q = Float32Array.from({ length: nItems * F }, (_, k) => ((k * 5) % 13) / 10 - 0.6);
    const itemOffset = Float32Array.from({ length: nItems }, (_, i) => i * 0.25);
    const userOffset = Float32Array.from({ length: nUsers }, (_, u) => -u);
    const users = Int32Array.of(5, 0, 2, 2, 4, 1, 3); // one block of 4, then 3 singles
    const out = scoreLatent(P, Q, F, nItems, users, new Float32Array(users.length * nItems), itemOffset, userOffset, 1.5);
    for (let b = 0; b < users.length; b++) {
      for (let i = 0; i < nItems; i++) {
        let s = 1.5 + userOffset[users[b]] + itemOffset[i];
        for (let f = 0; f < F; f++) s += P[users[b] * F + f] * Q[i * F + f];
        expect(out[b * nItems + i]).toBeCloseTo(s, 5);
      }
    }
    const plain = scoreLatent(P, Q, F, nItems, Int32Array.of(1), new Float32Array(nItems), null);
    expect(plain[2]).toBeCloseTo(P[3] * Q[6] + P[4] * Q[7] + P[5] * Q[8], 6);
  });
});
