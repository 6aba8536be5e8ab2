import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, range, recommendTopK } from '@musicrec/core';
import { describeRecommender, meanNdcgAtK, perUserHoldout, popularityNdcgAtK } from '@musicrec/core/testing';
import { generateSynthetic } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender } from '../item-knn';
import { rfRankerFactory } from './factory';
import { labelSplit } from './label-split';
import { RfRankerRecommender } from './rf-ranker';
import type { RfRankerConfig } from './config';

/** Small enough that a fit takes well under a second: iALS on one thread, shallow forest. */
const small: Partial<RfRankerConfig> = {
  base: 'ials',
  baseParams: { factors: 8, iterations: 8, threads: 1, validateEvery: 0 },
  candidates: 20,
  trees: 10,
  maxDepth: 4,
  minLeaf: 3,
};

function synthetic() {
  return generateSynthetic({ nUsers: 200, nItems: 150, nInteractions: 4000, seed: 5 });
}

describeRecommender('rf-ranker', () => new RfRankerRecommender(small), {
  factory: rfRankerFactory,
  // The checkerboard defeats stacking by construction: while the forest trains, each user's
  // forced answer is an unlabelled candidate that outranks the user's held-back label (it is
  // more co-played in the base-fit part), so the forest learns "top base item → negative"
  // and on all of train ranks a cross-group item first (0/16 users on seeds 42 and 2).
  knownAnswer: false,
  learnData: () => synthetic().interactions,
});

describe('labelSplit (no leak into the forest)', () => {
  it('holds back round(0.2·n) items per user (none of a single-item user), disjoint from base-fit, together all of train', () => {
    const data = synthetic().interactions;
    const { baseFit, labels } = labelSplit(data, 0.2, 3);
    expect(baseFit.nnz + labels.nnz).toBe(data.nnz);
    for (let u = 0; u < data.nUsers; u++) {
      const n = data.rowLength(u);
      expect(labels.rowLength(u)).toBe(n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(0.2 * n))));
      for (const i of labels.itemsOf(u)) {
        expect(baseFit.has(u, i)).toBe(false);
        expect(data.has(u, i)).toBe(true);
      }
      for (const i of baseFit.itemsOf(u)) expect(data.has(u, i)).toBe(true);
    }
    // same seed, same cut; another seed, another one
    expect(labelSplit(data, 0.2, 3).labels.indices).toEqual(labels.indices);
    expect(labelSplit(data, 0.2, 4).labels.indices).not.toEqual(labels.indices);
  });

  it("the forest's positives are held-back items only: no more positives than held-back interactions", async () => {
    const data = synthetic();
    const model = new RfRankerRecommender(small);
    await model.fit(data.interactions, { seed: 1, catalog: data.catalog });
    const training = model.describe().training as { baseFitInteractions: number; labelInteractions: number; positives: number; rows: number };
    const { baseFit, labels } = labelSplit(data.interactions, 0.2, 0); // sizes do not depend on the seed
    expect(training.baseFitInteractions).toBe(baseFit.nnz);
    expect(training.labelInteractions).toBe(labels.nnz);
    expect(training.positives).toBeGreaterThan(0);
    expect(training.positives).toBeLessThanOrEqual(labels.nnz);
    expect(training.rows).toBeLessThanOrEqual(training.positives * 6);
  });
});

describe('RfRankerRecommender with a catalog', () => {
  it('uses the content, tag and artist features, reports importances summing to 1, and beats its own base order outside the candidates', async () => {
    const data = synthetic();
    const { train, test } = perUserHoldout(data.interactions, 42);
    const model = new RfRankerRecommender(small);
    await model.fit(train, { seed: 42, catalog: data.catalog });
    const info = model.describe();
    expect(info.featuresUsed).toEqual([
      'baseScore',
      'baseScoreRatio',
      'baseRank',
      'itemLogPopularity',
      'popularityRank',
      'userLogActivity',
      'itemKnnScore',
      'contentCosine',
      'tagOverlap',
      'artistRepetition',
    ]);
    const importances = Object.values(info.featureImportances as Record<string, number>);
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(meanNdcgAtK(model, train, test, 10)).toBeGreaterThan(popularityNdcgAtK(train, test, 10));
  });

  it('below the candidates, items keep the base model order, all scores negative', async () => {
    const data = synthetic();
    const params: Partial<RfRankerConfig> = { ...small, base: 'item-knn', baseParams: {}, candidates: 10 };
    const model = new RfRankerRecommender(params);
    await model.fit(data.interactions, { seed: 2, catalog: data.catalog });
    const base = new ItemKnnRecommender();
    await base.fit(data.interactions, { seed: 2 });
    const users = Int32Array.of(0, 7, 19);
    const ours = model.scoreUsers(users);
    const theirs = base.scoreUsers(users);
    const n = data.interactions.nItems;
    for (let b = 0; b < users.length; b++) {
      const below: number[] = [];
      let candidates = 0;
      for (let i = 0; i < n; i++) {
        const s = ours[b * n + i];
        if (s >= 0) candidates++;
        else if (!data.interactions.has(users[b], i)) below.push(i);
      }
      expect(candidates).toBe(10);
      for (let k = 1; k < below.length; k++) {
        const [i, j] = [below[k - 1], below[k]];
        expect(Math.sign(ours[b * n + i] - ours[b * n + j])).toBe(Math.sign(theirs[b * n + i] - theirs[b * n + j]));
      }
    }
  });

  it('save → load keeps the feature models, catalog features and scores', async () => {
    const data = synthetic();
    const model = new RfRankerRecommender(small);
    await model.fit(data.interactions, { seed: 3, catalog: data.catalog });
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-rf-ranker-'));
    try {
      await model.save(dir);
      const loaded = await rfRankerFactory.load(dir);
      const users = range(data.interactions.nUsers);
      expect(loaded.scoreUsers(users)).toEqual(model.scoreUsers(users));
      expect(loaded.describe!()).toEqual(model.describe());
      const top = recommendTopK(loaded, users.subarray(0, 5), data.interactions.nItems, 5, { exclude: data.interactions });
      expect(top.items.every((i) => i >= 0)).toBe(true);

      // a saved feature list that no longer matches the saved sources is refused
      const path = join(dir, 'model.json');
      const doc = JSON.parse(await readFile(path, 'utf8'));
      doc.meta.features = ['baseScore'];
      await writeFile(path, JSON.stringify(doc));
      await expect(rfRankerFactory.load(dir)).rejects.toThrow(DataError);
      await expect(rfRankerFactory.load(dir)).rejects.toThrow(/meta\.features/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown bases and out-of-range options', () => {
    expect(() => new RfRankerRecommender({ base: 'svd' as never })).toThrow(ConfigError);
    expect(() => new RfRankerRecommender({ labelFraction: 1 })).toThrow(/labelFraction/);
    expect(() => new RfRankerRecommender({ candidates: 0 })).toThrow(/candidates/);
    expect(() => new RfRankerRecommender({ treez: 3 } as never)).toThrow(/unknown option "treez"/);
  });
});
