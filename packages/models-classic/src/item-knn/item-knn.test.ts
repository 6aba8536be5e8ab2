import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, Interactions, ModelFitError, range, saveModelDir } from '@musicrec/core';
import { describeRecommender } from '@musicrec/core/testing';
import { generateSynthetic } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { itemKnnFactory } from './factory';
import { ItemKnnRecommender } from './item-knn';

// the "beats popularity" check runs on the data package's synthetic generator
const learnData = () => generateSynthetic({ nUsers: 400, nItems: 300, nInteractions: 8000, seed: 7 }).interactions;
describeRecommender('item-knn', () => new ItemKnnRecommender({ neighbors: 20 }), { factory: itemKnnFactory, learnData });
describeRecommender(
  'item-knn (bm25, dot product, all neighbours)',
  () => new ItemKnnRecommender({ weighting: 'bm25', normalize: false, neighbors: 0 }),
  { factory: itemKnnFactory, learnData },
);

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
const f = Math.fround;

// 3 users × 3 items, binary; cos(0,1) = cos(1,2) = 2/√6, cos(0,2) = 1/2 (see similarity.test.ts)
//        i0 i1 i2
//   u0    1  1  .
//   u1    1  1  1
//   u2    .  1  1
const train = Interactions.fromTriples([0, 0, 1, 1, 1, 2, 2], [0, 1, 0, 1, 2, 1, 2], null, ids(3, 'u'), ids(3, 'i'));
const c = f(2 / Math.sqrt(6));

async function fittedOnHand(params = {}): Promise<ItemKnnRecommender> {
  const model = new ItemKnnRecommender(params);
  await model.fit(train, { seed: 1 });
  return model;
}

describe('ItemKnnRecommender', () => {
  it('scores a user as the sum of the similarity rows of their items', async () => {
    const model = await fittedOnHand();
    // u0 = {i0, i1}: i0 ← S[1,0] = c; i1 ← S[0,1] = c; i2 ← S[0,2] + S[1,2] = 1/2 + c
    // u2 = {i1, i2}: i0 ← S[1,0] + S[2,0] = c + 1/2; i1 ← S[2,1] = c; i2 ← S[1,2] = c
    expect(Array.from(model.scoreUsers(Int32Array.of(0, 2)))).toEqual([c, c, f(0.5 + c), f(c + 0.5), c, c]);
  });

  it('similarItems returns the best neighbours first and pads past the kept ones', async () => {
    const model = await fittedOnHand();
    const s = model.similarItems(0, 3);
    expect(Array.from(s.items)).toEqual([1, 2, -1]);
    expect(Array.from(s.scores)).toEqual([c, 0.5, -Infinity]);
    const pruned = await fittedOnHand({ neighbors: 1 });
    expect(Array.from(pruned.similarItems(2, 2).items)).toEqual([1, -1]);
    expect(() => model.similarItems(3, 1)).toThrow(RangeError);
  });

  it('scoreFromItems scores a basket with optional weights', async () => {
    const model = await fittedOnHand();
    expect(Array.from(model.scoreFromItems(Int32Array.of(2)))).toEqual([0.5, c, 0]);
    expect(Array.from(model.scoreFromItems(Int32Array.of(0, 2), Float32Array.of(2, 1)))).toEqual([0.5, f(3 * c), 1]);
    expect(() => model.scoreFromItems(Int32Array.of(5))).toThrow(RangeError);
  });

  it('explain: each liked neighbour\'s similarity is a contribution, their sum the scored value', async () => {
    const model = await fittedOnHand();
    // u0 = {i0, i1}: i2 ← S[0,2] + S[1,2] = 1/2 + c; nearest liked first: i1 (c), then i0 (1/2)
    const e = model.explain(0, 2);
    expect(e.score).toBe(model.scoreUsers(Int32Array.of(0))[2]);
    expect(e.score).toBe(f(0.5 + c));
    expect(e.contributions).toEqual({ '0': 0.5, '1': c });
    expect(e.nearestLikedItems).toEqual([{ item: 1, similarity: c }, { item: 0, similarity: 0.5 }]);
    expect(e.details).toEqual({ likedNeighbors: 2 });
    // a basket with weights: {i0 ×2, i2}: i1 ← 2·S[0,1] + S[2,1] = 3c; the tie on similarity goes to the lower item
    const b = model.explainFromItems(Int32Array.of(0, 2), 1, Float32Array.of(2, 1));
    expect(b.score).toBe(model.scoreFromItems(Int32Array.of(0, 2), Float32Array.of(2, 1))[1]);
    expect(b.contributions).toEqual({ '0': 2 * c, '2': c });
    expect(b.nearestLikedItems).toEqual([{ item: 0, similarity: c }, { item: 2, similarity: c }]);
    // an item no liked item links to: score 0, no parts
    const pruned = await fittedOnHand({ neighbors: 1 });
    expect(pruned.explainFromItems(Int32Array.of(2), 0)).toEqual({ score: 0, contributions: {}, nearestLikedItems: [], details: { likedNeighbors: 0 } });
    expect(() => model.explain(3, 0)).toThrow(RangeError);
    expect(() => model.explainFromItems(Int32Array.of(0), 3)).toThrow(RangeError);
  });

  it('the same user weights feed the scores: log weighting scales each row', async () => {
    const plays = Interactions.fromTriples([0, 0, 1, 1], [0, 1, 0, 1], [3, 1, 1, 1], ids(2, 'u'), ids(2, 'i'));
    const model = new ItemKnnRecommender({ weighting: 'log' });
    await model.fit(plays, { seed: 1 });
    // columns (ln 4, ln 2) and (ln 2, ln 2): cos = (ln4 + ln2)·ln2 / (‖·‖‖·‖)
    const l2 = Math.log(2);
    const cos = f((3 * l2 * l2) / (Math.sqrt(5 * l2 * l2) * Math.sqrt(2 * l2 * l2)));
    expect(model.similarItems(0, 1).scores[0]).toBe(cos);
    // u0: item 0 ← w(u0, i1) · S[1,0] = ln 2 · cos; item 1 ← w(u0, i0) · S[0,1] = ln 4 · cos
    const s = model.scoreUsers(Int32Array.of(0));
    expect(s[0]).toBeCloseTo(l2 * cos, 6);
    expect(s[1]).toBeCloseTo(2 * l2 * cos, 6);
  });

  it('reports progress and errors: empty data, use before fit, bad out buffer', async () => {
    const events: number[] = [];
    const model = new ItemKnnRecommender();
    await model.fit(train, { seed: 1, onProgress: (e) => events.push(e.current) });
    expect(events).toEqual([3]);
    expect(() => model.scoreUsers(range(3), new Float32Array(8))).toThrow(RangeError);
    await expect(new ItemKnnRecommender().fit(Interactions.empty(ids(2, 'u'), ids(2, 'i')), { seed: 1 })).rejects.toThrow(ModelFitError);
    expect(() => new ItemKnnRecommender().scoreUsers(Int32Array.of(0))).toThrow(ModelFitError);
  });

  it('load rejects another model’s directory and a corrupt similarity matrix, naming the field', async () => {
    const other = await mkdtemp(join(tmpdir(), 'musicrec-item-knn-'));
    await writeFile(join(other, 'model.json'), JSON.stringify({ format: 1, meta: { model: 'ease' }, arrays: {} }));
    await expect(ItemKnnRecommender.load(other)).rejects.toThrow(/field "meta.model"/);

    const corrupt = await mkdtemp(join(tmpdir(), 'musicrec-item-knn-'));
    const model = await fittedOnHand();
    const s = model.similarity;
    await saveModelDir(
      corrupt,
      { model: 'item-knn', params: model.params, nUsers: 3, nItems: 3 },
      {
        simIndptr: s.indptr,
        simIndices: s.indices.map((j, k) => (k === 2 ? 7 : j)),
        simValues: s.values,
        userIndptr: train.indptr,
        userIndices: train.indices,
        userWeights: train.values,
      },
    );
    await expect(ItemKnnRecommender.load(corrupt)).rejects.toThrow(DataError);
    await expect(ItemKnnRecommender.load(corrupt)).rejects.toThrow(/field "arrays.simIndices"/);
  });
});
