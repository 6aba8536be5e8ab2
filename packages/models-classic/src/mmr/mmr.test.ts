import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Interactions, recommendTopK, type FitContext } from '@musicrec/core';
import { describeRecommender } from '@musicrec/core/testing';
import { generateSynthetic } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender, itemKnnFactory } from '../item-knn';
import { PopularityRecommender } from '../popularity';
import { MmrRecommender, mmrFactory, type ItemVectors } from './mmr-recommender';
import { mmrRerank } from './mmr-rerank';

/** Each item's column of the training matrix as a dense vector over users: cosine = co-listening similarity. */
const itemColumns = (train: Interactions): ItemVectors => {
  const values = new Float32Array(train.nItems * train.nUsers);
  for (let u = 0; u < train.nUsers; u++) for (const i of train.itemsOf(u)) values[i * train.nUsers + u] = 1;
  return { values, dim: train.nUsers };
};

const learnData = () => generateSynthetic({ nUsers: 400, nItems: 300, nInteractions: 8000, seed: 7 }).interactions;
describeRecommender('mmr over item-knn', () => new MmrRecommender(new ItemKnnRecommender({ neighbors: 20 }), { lambda: 0.7, pool: 20 }, itemColumns), {
  factory: { load: (dir) => MmrRecommender.load(dir, itemKnnFactory) },
  learnData,
});

// 4 items: 0 and 1 are the same direction, 2 is orthogonal to them, 3 halfway between
const vectors = [
  [1, 0],
  [1, 0],
  [0, 1],
  [Math.SQRT1_2, Math.SQRT1_2],
];
const cosine = (i: number, j: number) => vectors[i][0] * vectors[j][0] + vectors[i][1] * vectors[j][1];
const candidates = Int32Array.of(0, 1, 2, 3);
const relevance = Float32Array.of(1, 0.9, 0.5, 0);

describe('mmrRerank', () => {
  it('λ = 1 returns the relevance order', () => {
    expect(Array.from(mmrRerank(candidates, relevance, 4, 1, cosine))).toEqual([0, 1, 2, 3]);
    // relevance order even when the candidates are not given in it
    expect(Array.from(mmrRerank(Int32Array.of(3, 2, 1, 0), Float32Array.of(0, 0.5, 0.9, 1), 4, 1, cosine))).toEqual([0, 1, 2, 3]);
  });

  it('λ = 0 starts with the most relevant item, then picks the most dissimilar one', () => {
    // first pick: all scores 0, tie → higher relevance (0); then sim to {0}: 1 → 1, 2 → 0, 3 → 0.707: pick 2;
    // then max sims 1 → 1, 3 → 0.707: pick 3, then 1
    expect(Array.from(mmrRerank(candidates, relevance, 4, 0, cosine))).toEqual([0, 2, 3, 1]);
  });

  it('λ = 0.5 trades the two: the near-duplicate of the first pick drops behind an orthogonal item', () => {
    // normalised relevance = (1, 0.9, 0.5, 0). Second pick: 1 → 0.45 − 0.5 = −0.05, 2 → 0.25 − 0 = 0.25,
    // 3 → 0 − 0.354 = −0.354: pick 2. Third: 1 → −0.05, 3 → −0.354: pick 1.
    expect(Array.from(mmrRerank(candidates, relevance, 4, 0.5, cosine))).toEqual([0, 2, 1, 3]);
    expect(Array.from(mmrRerank(candidates, relevance, 2, 0.5, cosine))).toEqual([0, 2]);
  });

  it('ties are deterministic: equal relevance and identical items keep the candidate order', () => {
    const same = () => 1;
    expect(Array.from(mmrRerank(Int32Array.of(7, 3, 5), Float32Array.of(2, 2, 2), 3, 0.5, same))).toEqual([7, 3, 5]);
    expect(Array.from(mmrRerank(Int32Array.of(7, 3, 5), Float32Array.of(2, 2, 2), 3, 0, same))).toEqual([7, 3, 5]);
  });

  it('rejects bad arguments', () => {
    expect(() => mmrRerank(candidates, Float32Array.of(1), 2, 0.5, cosine)).toThrow(RangeError);
    expect(() => mmrRerank(candidates, relevance, 2, 1.5, cosine)).toThrow(/lambda/);
    expect(() => mmrRerank(candidates, relevance, -1, 0.5, cosine)).toThrow(/k must/);
  });
});

describe('MmrRecommender', () => {
  // 1 user who saw item 4; base = popularity over 3 other users: item 0 > 1 > 2 > 3
  const train = Interactions.fromTriples(
    [0, 1, 1, 1, 1, 2, 2, 2, 3, 3],
    [4, 0, 1, 2, 3, 0, 1, 2, 0, 1],
    null,
    ['u0', 'u1', 'u2', 'u3'],
    ['i0', 'i1', 'i2', 'i3', 'i4'],
  );
  const fixed: ItemVectors = { values: Float32Array.of(1, 0, 1, 0, 0, 1, 1, 1, 1, 0), dim: 2 };
  const fit = async (lambda: number, pool = 4) => {
    const model = new MmrRecommender(new PopularityRecommender(), { lambda, pool }, fixed);
    await model.fit(train, { seed: 1 });
    return model;
  };

  it('scores induce the MMR order of the unseen pool, so recommendTopK returns it', async () => {
    const top = (m: MmrRecommender) => Array.from(recommendTopK(m, Int32Array.of(0), 5, 4, { exclude: train }).items);
    expect(top(await fit(1))).toEqual([0, 1, 2, 3]);
    expect(top(await fit(0))).toEqual([0, 2, 3, 1]);
    // pool of 2: MMR reorders {0, 1}; 2 and 3 follow in base order below the pool
    expect(top(await fit(0, 2))).toEqual([0, 1, 2, 3]);
    const s = (await fit(0, 2)).scoreUsers(Int32Array.of(0));
    expect(s[0]).toBe(2);
    expect(s[1]).toBe(1);
    expect(s[2]).toBeGreaterThan(s[3]);
    expect(s[3]).toBeLessThanOrEqual(-1);
  });

  it('save → load (with the base factory) gives the same scores; mmrFactory builds and restores', async () => {
    const factory = mmrFactory(itemKnnFactory, { neighbors: 3 });
    const model = factory.create({ lambda: 0.3, pool: 3 });
    expect(model.params).toEqual({ lambda: 0.3, pool: 3, base: 'item-knn' });
    // item-knn has no itemFactors, so without vectors fit refuses
    await expect(model.fit(train, { seed: 1 })).rejects.toThrow(ConfigError);
    const withVectors = new MmrRecommender(new ItemKnnRecommender({ neighbors: 3 }), { lambda: 0.3, pool: 3 }, (t: Interactions, _c: FitContext) =>
      itemColumns(t),
    );
    await withVectors.fit(train, { seed: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-mmr-'));
    try {
      await withVectors.save(dir);
      const loaded = await factory.load(dir);
      const users = Int32Array.of(0, 1, 2, 3);
      expect(loaded.scoreUsers(users)).toEqual(withVectors.scoreUsers(users));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options and vectors of the wrong shape', async () => {
    expect(() => new MmrRecommender(new PopularityRecommender(), { lambda: -0.1 })).toThrow(/"lambda"/);
    expect(() => new MmrRecommender(new PopularityRecommender(), { pool: 0 })).toThrow(/"pool"/);
    const bad = new MmrRecommender(new PopularityRecommender(), {}, { values: new Float32Array(3), dim: 2 });
    await expect(bad.fit(train, { seed: 1 })).rejects.toThrow(/expected 5 items × dim 2/);
  });
});
