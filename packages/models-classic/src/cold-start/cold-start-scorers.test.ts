import { COLD_START_SCORER, isColdStartScorer, range, recommendFromLiked, type Recommender } from '@musicrec/core';
import { clusteredInteractions } from '@musicrec/core/testing';
import { describe, expect, it } from 'vitest';
import { ContentKnnRecommender } from '../content-knn';
import { EaseRecommender } from '../ease';
import { ImplicitALS } from '../ials';
import { ItemKnnRecommender } from '../item-knn';
import { PopularityRecommender } from '../popularity';
import { itemSimilarityOf, nearestLikedItems } from './item-similarity';

const train = clusteredInteractions({ nUsers: 60, nItems: 40, nClusters: 3, itemsPerUser: 8, seed: 5 });

async function fitted<M extends Recommender>(model: M): Promise<M> {
  await model.fit(train, { seed: 42 });
  return model;
}

/** scoreFromItems(items of u) for every user, stacked like scoreUsers(range(nUsers)). */
function basketScores(model: { scoreFromItems(items: Int32Array): Float32Array }): Float32Array {
  const out = new Float32Array(train.nUsers * train.nItems);
  for (let u = 0; u < train.nUsers; u++) out.set(model.scoreFromItems(train.itemsOf(u)), u * train.nItems);
  return out;
}

describe('scoreFromItems of a training user’s own items equals scoreUsers', () => {
  it('item-kNN, EASE (both tail fallbacks) and popularity: exactly', async () => {
    const models = [
      await fitted(new ItemKnnRecommender({ neighbors: 10 })),
      await fitted(new EaseRecommender({ lambda: 5, minItemUsers: 6 })),
      await fitted(new EaseRecommender({ lambda: 5, minItemUsers: 6, tailFallback: 'popularity' })),
      await fitted(new PopularityRecommender()),
    ];
    for (const model of models) {
      expect(isColdStartScorer(model)).toBe(true);
      expect(basketScores(model)).toEqual(model.scoreUsers(range(train.nUsers)));
    }
  });

  it('EASE with a tail: the tail items are scored too, and weights act like interaction values', async () => {
    const ease = await fitted(new EaseRecommender({ lambda: 5, minItemUsers: 6 }));
    expect(ease.describe().tailItems).toBeGreaterThan(0);
    const items = train.itemsOf(3);
    const doubled = ease.scoreFromItems(items, new Float32Array(items.length).fill(2));
    const single = ease.scoreFromItems(items);
    for (let i = 0; i < train.nItems; i++) expect(doubled[i]).toBeCloseTo(2 * single[i], 4);
  });

  it('iALS: the fold-in of the user’s own items approximates the trained row', async () => {
    const ials = await fitted(new ImplicitALS({ factors: 8, iterations: 15, solver: 'cholesky', regularization: 1, alpha: 10, validateEvery: 0 }));
    const trained = ials.scoreUsers(range(train.nUsers));
    const folded = basketScores(ials);
    let worst = 0;
    let scale = 0;
    for (let k = 0; k < trained.length; k++) {
      worst = Math.max(worst, Math.abs(trained[k] - folded[k]));
      scale = Math.max(scale, Math.abs(trained[k]));
    }
    // the fold-in solves the user step against the final item factors; the fit solved it one item step earlier
    expect(worst).toBeLessThan(0.05 * scale);
    // and the top-5 unseen lists agree for most users
    let agree = 0;
    for (let u = 0; u < train.nUsers; u++) {
      const a = recommendFromLiked({ [COLD_START_SCORER]: true, scoreFromItems: () => trained.subarray(u * train.nItems, (u + 1) * train.nItems) }, train.itemsOf(u), 5);
      const b = recommendFromLiked(ials, train.itemsOf(u), 5);
      if (Array.from(a.items).every((i) => Array.from(b.items).includes(i))) agree++;
    }
    expect(agree).toBeGreaterThan(0.8 * train.nUsers);
  });

  it('item indices out of range and mismatched weights are RangeErrors naming the model', async () => {
    for (const model of [await fitted(new ItemKnnRecommender()), await fitted(new EaseRecommender({ lambda: 5 })), await fitted(new PopularityRecommender())]) {
      expect(() => model.scoreFromItems(Int32Array.of(train.nItems))).toThrow(RangeError);
      expect(() => model.scoreFromItems(Int32Array.of(0, 1), Float32Array.of(1))).toThrow(/1 weights for 2 items/);
    }
  });
});

describe('nearestLikedItems', () => {
  it('returns the most similar liked items, best first, never the item itself, ties to the lower index', () => {
    // similarity = 1 / (1 + |i − j|)
    const sim = (i: number, j: number) => 1 / (1 + Math.abs(i - j));
    expect(nearestLikedItems(Int32Array.of(9, 2, 6, 4, 5), 5, sim, 3)).toEqual([
      { item: 4, similarity: 0.5 },
      { item: 6, similarity: 0.5 },
      { item: 2, similarity: 0.25 },
    ]);
    expect(nearestLikedItems(Int32Array.of(1), 3, () => 0)).toEqual([]);
  });

  it('reads item-kNN’s kept neighbours, content cosine and factor cosine', async () => {
    const knn = await fitted(new ItemKnnRecommender({ neighbors: 5 }));
    const knnSim = itemSimilarityOf(knn, train.nItems)!;
    const row = knn.similarItems(0, 1);
    expect(knnSim(0, row.items[0])).toBe(row.scores[0]);
    const content = new ContentKnnRecommender();
    const catalog = {
      itemIds: train.itemIds,
      audio: {
        columns: ['a', 'b'],
        values: Float32Array.from({ length: 2 * train.nItems }, (_, k) => ((k * 7) % 5) - 2),
        present: new Uint8Array(train.nItems).fill(1),
      },
    };
    await content.fit(train, { seed: 1, catalog });
    expect(itemSimilarityOf(content, train.nItems)!(3, 8)).toBeCloseTo(content.similarity(3, 8), 6);
    const ials = await fitted(new ImplicitALS({ factors: 4, iterations: 2, validateEvery: 0 }));
    const cos = itemSimilarityOf(ials, train.nItems)!;
    expect(cos(2, 2)).toBeCloseTo(1, 5);
    expect(itemSimilarityOf(new PopularityRecommender(), train.nItems)).toBeNull();
  });
});

