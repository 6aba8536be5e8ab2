import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interactions, ModelFitError, Rng, recommendTopK, range } from '@musicrec/core';
import { exactTopK } from '../exact/exact-top-k';
import { AnnRecommender, annRecommenderFactory } from './ann-recommender';
import { FixedFactorModel, fixedFactorFactory } from './factor-model.fixture';

const nUsers = 30;
const nItems = 200;
const dim = 8;
const rng = new Rng(9);
const users = rng.normalArray(nUsers * dim, 1);
const itemVectors = rng.normalArray(nItems * dim, 1);
const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);
// user u has seen items u, u + 1, u + 2
const train = Interactions.fromTriples(
  Array.from({ length: nUsers * 3 }, (_, k) => Math.floor(k / 3)),
  Array.from({ length: nUsers * 3 }, (_, k) => Math.floor(k / 3) + (k % 3)),
  null,
  ids('u', nUsers),
  ids('i', nItems),
);

async function fittedAnn(): Promise<AnnRecommender> {
  const ann = new AnnRecommender(new FixedFactorModel(users, itemVectors, dim), { candidates: 20 });
  await ann.fit(train, { seed: 1 });
  return ann;
}

describe('AnnRecommender', () => {
  it('on a small catalogue answers what exact search answers, seen items excluded', async () => {
    const ann = await fittedAnn();
    const exact = exactTopK(users, itemVectors, dim, 10, { exclude: train });
    const approx = ann.recommend(range(nUsers), 10);
    expect(approx.items).toEqual(exact.items);
    expect(ann.name).toBe('fixed-factors+hnsw');
    expect(ann.inference).toBe('hnsw');
    expect((ann.params.hnsw as { candidates: number }).candidates).toBe(20);
  });

  it('scoreUsers keeps candidates unseen items with their scores, -Infinity elsewhere, so recommendTopK gives the HNSW lists', async () => {
    const ann = await fittedAnn();
    const scores = ann.scoreUsers(Int32Array.of(4));
    const finite = scores.filter((s) => s !== -Infinity);
    expect(finite.length).toBe(20);
    for (const i of train.itemsOf(4)) expect(scores[i]).toBe(-Infinity);
    const viaContract = recommendTopK(ann, range(nUsers), nItems, 10, { exclude: train });
    expect(viaContract.items).toEqual(ann.recommend(range(nUsers), 10).items);
  });

  it('save → load (through the registry factory) answers the same', async () => {
    const ann = await fittedAnn();
    const dir = await mkdtemp(join(tmpdir(), 'ann-'));
    try {
      await ann.save(dir);
      const loaded = await annRecommenderFactory({ name: 'fixed-factors', create: () => { throw new Error('unused'); }, ...fixedFactorFactory }).load(dir);
      expect(loaded.scoreUsers(range(nUsers))).toEqual(ann.scoreUsers(range(nUsers)));
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('refuses a model without factors, and scoring before fit', async () => {
    const noFactors = new FixedFactorModel(users, itemVectors, dim);
    Object.defineProperty(noFactors, 'userFactors', { value: undefined });
    await expect(new AnnRecommender(noFactors).fit(train, { seed: 1 })).rejects.toThrow(ModelFitError);
    expect(() => new AnnRecommender(new FixedFactorModel(users, itemVectors, dim)).scoreUsers(Int32Array.of(0))).toThrow(/fit\(\) or attach\(\)/);
    expect(() => new AnnRecommender(noFactors, { candidates: 0 })).toThrow(/candidates must be a positive integer/);
  });
});
