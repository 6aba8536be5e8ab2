import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, Interactions, loadModelDir, saveModelDir, type Catalog } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { ContentKnnRecommender } from '../content-knn';
import {
  buildColdItemImputation,
  coldItemArrays,
  coldItemsOf,
  imputeColdScores,
  imputedFrom,
  loadColdItemImputation,
  noColdItemImputation,
  type ColdItemImputation,
} from './cold-item-imputation';

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

/**
 * Six tracks by artists A A B B C D: track 5 (artist D) has no other track by its artist.
 * Nobody plays track 1 or track 5.
 */
const catalog: Catalog = { itemIds: ids(6, 't'), artists: ['A', 'A', 'B', 'B', 'C', 'D'] };
const train = Interactions.fromTriples([0, 0, 1, 1], [0, 2, 3, 4], null, ids(2, 'u'), ids(6, 't'));

async function content(source: 'artist' | 'audio+artist', cat: Catalog = catalog): Promise<ContentKnnRecommender> {
  const model = new ContentKnnRecommender({ source });
  await model.fit(train, { seed: 1, catalog: cat });
  return model;
}

describe('cold-item imputation', () => {
  it('finds the unplayed items', () => {
    expect(Array.from(coldItemsOf(train))).toEqual([1, 5]);
  });

  it('a cold item whose only positive-similarity played neighbour is j gets exactly j’s score', async () => {
    const imp = buildColdItemImputation(await content('artist'), train, 10);
    expect(Array.from(imp.coldItems)).toEqual([1, 5]);
    // track 1 shares artist A with track 0 only; track 5's artist D has no other track
    expect(imputedFrom(imp, 1)).toEqual([{ item: 0, weight: 1 }]);
    expect(imputedFrom(imp, 5)).toEqual([]);
    expect(imputedFrom(imp, 0)).toEqual([]); // warm
    const scores = Float32Array.of(0, 0.7, 0.1, 0.2, 0.3, -0.4, 9, -1, 9, 9, 9, 9);
    imputeColdScores(imp, scores, 6); // the second row only
    expect(Array.from(scores)).toEqual(Array.from(Float32Array.of(0, 0.7, 0.1, 0.2, 0.3, -0.4, 9, 9, 9, 9, 9, 9)));
  });

  it('several neighbours: the similarity-weighted mean of their scores (hand case)', async () => {
    // audio makes track 1 close to 0 (cos 1) and to 2 (cos 0.6); artist A adds to track 0 only
    const withAudio: Catalog = {
      ...catalog,
      audio: { columns: ['x', 'y'], values: Float32Array.of(1, 0, 1, 0, 0.6, 0.8, -1, 0, -0.6, -0.8, 0, 0), present: Uint8Array.of(1, 1, 1, 1, 1, 0) },
    };
    const model = await content('audio+artist', withAudio);
    const imp = buildColdItemImputation(model, train, 10);
    const from = imputedFrom(imp, 1);
    expect(from.map((x) => x.item)).toEqual([0, 2]);
    const s0 = model.similarity(1, 0);
    const s2 = model.similarity(1, 2);
    expect(s0).toBeGreaterThan(s2);
    expect(s2).toBeGreaterThan(0);
    expect(from[0].weight).toBeCloseTo(s0 / (s0 + s2), 6);
    expect(from[1].weight).toBeCloseTo(s2 / (s0 + s2), 6);
    const scores = Float32Array.of(2, 0, 6, 1, 1, 1);
    imputeColdScores(imp, scores, 0);
    expect(scores[1]).toBeCloseTo((2 * s0 + 6 * s2) / (s0 + s2), 5);
    // k = 1 keeps the nearest only
    expect(imputedFrom(buildColdItemImputation(model, train, 1), 1)).toEqual([{ item: 0, weight: 1 }]);
  });

  it('saves and loads through model-dir arrays; a model saved without them imputes nothing; bad arrays are named', async () => {
    const imp = buildColdItemImputation(await content('artist'), train, 10);
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-cold-items-'));
    try {
      await saveModelDir(dir, { model: 'x' }, coldItemArrays(imp));
      const { arrays } = await loadModelDir(dir);
      expect(loadColdItemImputation(arrays, 6, dir)).toEqual(imp);
      expect(loadColdItemImputation({}, 6, dir)).toEqual(noColdItemImputation(6));
      const broken: ColdItemImputation = { ...imp, neighbors: Int32Array.of(7) };
      expect(() => loadColdItemImputation(coldItemArrays(broken), 6, dir)).toThrow(DataError);
      expect(() => loadColdItemImputation({ ...coldItemArrays(imp), coldWeights: new Int32Array(1) }, 6, dir)).toThrow(/coldWeights/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
