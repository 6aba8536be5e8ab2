import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, Interactions, ModelFitError, range, recommendTopK } from '@musicrec/core';
import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { describe, expect, it } from 'vitest';
import { popularityFactory } from './factory';
import { PopularityRecommender } from './popularity';

describeRecommender('popularity', () => new PopularityRecommender(), {
  factory: popularityFactory,
  knownAnswer: false, // every user gets the same list, so no per-user answer can be forced
  beatsPopularity: false, // it is the baseline
});

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

// 4 users × 5 items with play counts:
//        i0  i1  i2  i3  i4
//   u0    5   .   1   .   .
//   u1    .   2   1   .   .
//   u2    1   .   1   .  10
//   u3    .   3   .   .   .
// users per item: 2 2 3 0 1; plays per item: 6 5 3 0 10
const hand = Interactions.fromTriples(
  [0, 0, 1, 1, 2, 2, 2, 3],
  [0, 2, 1, 2, 0, 2, 4, 1],
  [5, 1, 2, 1, 1, 1, 10, 3],
  ids(4, 'u'),
  ids(5, 'i'),
);

describe('PopularityRecommender', () => {
  it('count weighting: users per item, ties to the lower index, seen items excluded', async () => {
    const model = new PopularityRecommender();
    await model.fit(hand, { seed: 1 });
    expect(Array.from(model.scores)).toEqual([2, 2, 3, 0, 1]);
    const top = recommendTopK(model, range(4), 5, 3, { exclude: hand });
    expect(Array.from(top.items)).toEqual([
      1, 4, 3, // u0 saw 0, 2
      0, 4, 3, // u1 saw 1, 2
      1, 3, -1, // u2 saw 0, 2, 4: only two items left
      2, 0, 4, // u3 saw 1
    ]);
  });

  it('sum weighting: summed play counts', async () => {
    const model = new PopularityRecommender({ weighting: 'sum' });
    await model.fit(hand, { seed: 1 });
    expect(Array.from(model.scores)).toEqual([6, 5, 3, 0, 10]);
    const top = recommendTopK(model, Int32Array.of(3), 5, 2, { exclude: hand });
    expect(Array.from(top.items)).toEqual([4, 0]);
  });

  it('ranks like the shared kit’s popularity baseline on a larger matrix', async () => {
    const data = clusteredInteractions({ seed: 3 });
    const model = new PopularityRecommender();
    await model.fit(data, { seed: 1 });
    expect(model.scores).toEqual(Float32Array.from(data.itemCounts()));
  });

  it('rejects bad options, empty training data and scoring before fit', async () => {
    expect(() => new PopularityRecommender({ weighting: 'plays' as never })).toThrow(ConfigError);
    expect(() => new PopularityRecommender({ weigthing: 'sum' } as never)).toThrow(/unknown option "weigthing"/);
    await expect(new PopularityRecommender().fit(Interactions.empty(ids(2, 'u'), ids(3, 'i')), { seed: 1 })).rejects.toThrow(
      ModelFitError,
    );
    expect(() => new PopularityRecommender().scoreUsers(Int32Array.of(0))).toThrow(ModelFitError);
  });

  it('load names the file and field of a model saved by something else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-popularity-'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 1, meta: { model: 'ials' }, arrays: {} }));
    await expect(PopularityRecommender.load(dir)).rejects.toThrow(DataError);
    await expect(PopularityRecommender.load(dir)).rejects.toThrow(/field "meta.model"/);
  });
});
