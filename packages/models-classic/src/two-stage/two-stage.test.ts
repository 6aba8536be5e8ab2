import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, isExplainer, range, recommendTopK, topK, type Catalog, type ColdStartScorer } from '@musicrec/core';
import { describeRecommender } from '@musicrec/core/testing';
import { generateSynthetic, holdoutSplit } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { coldItemCase } from '../cold-start/cold-item-case.fixture';
import { NO_CONTENT_SCORE } from '../content-knn';
import { twoStageFactory } from './factory';
import { rerankCandidates, rerankScratch } from './rerank';
import { TwoStageRecommender } from './two-stage';

const cfParams = { factors: 8, iterations: 6, validateEvery: 0, threads: 1 };

// no catalog in the shared suite: the content stage is skipped and CF ranks every item
describeRecommender('two-stage', () => new TwoStageRecommender({ cfParams }), {
  factory: twoStageFactory,
  learnData: () => generateSynthetic({ nUsers: 300, nItems: 200, nInteractions: 6000, seed: 7 }).interactions,
});

const synthetic = generateSynthetic({ nUsers: 200, nItems: 150, nInteractions: 3500, seed: 5 });
const catalog: Catalog = synthetic.catalog!;
const { train } = holdoutSplit(synthetic.interactions.binarize(), { seed: 42, validationFraction: 0 });

async function fitted(candidates: number): Promise<TwoStageRecommender> {
  const model = new TwoStageRecommender({ cfParams, candidates });
  await model.fit(train, { seed: 42, catalog });
  return model;
}

describe('rerankCandidates', () => {
  it('keeps CF scores on the content candidates and puts every other item below them in CF order (hand case)', () => {
    const content = Float32Array.of(5, 4, 3, 2, 1, NO_CONTENT_SCORE);
    const cf = Float32Array.of(0.1, 0.9, -2, 3, 7, 8);
    const out = new Float32Array(6);
    // item 0 seen; candidates = best 3 unseen by content: 1, 2, 3
    expect(rerankCandidates(content, 0, cf, 0, 6, Int32Array.of(0), out, 0, rerankScratch(3, 6))).toBe(3);
    // outside: low − gap − (maxOutside − cf) with low = −2, gap = 1.002, maxOutside = 8
    expect(Array.from(out)).toEqual(Array.from(Float32Array.of(-2 - 1.002 - 7.9, 0.9, -2, 3, -2 - 1.002 - 1, -2 - 1.002)));
    const top = new Int32Array(5);
    topK(out, 5, top, undefined, Int32Array.of(0));
    expect(Array.from(top)).toEqual([3, 1, 2, 5, 4]);
  });

  it('never takes an item without content as a candidate, and works in place', () => {
    const content = Float32Array.of(5, 4, 3, 2, 1, NO_CONTENT_SCORE);
    const cf = Float32Array.of(0.1, 0.9, -2, 3, 7, 8);
    expect(rerankCandidates(content, 0, cf, 0, 6, Int32Array.of(0), cf, 0, rerankScratch(5, 6))).toBe(4);
    // 1..4 keep their CF scores; item 5 (no content) drops below them
    expect(Array.from(cf.subarray(1, 5))).toEqual(Array.from(Float32Array.of(0.9, -2, 3, 7)));
    expect(cf[5]).toBeLessThan(-2);
  });
});

describe('TwoStageRecommender', () => {
  it('top-k = the content candidates in CF order', async () => {
    const nCand = 30;
    const model = await fitted(nCand);
    const { cf, content } = model.members;
    const users = range(train.nUsers);
    const top = recommendTopK(model, users, train.nItems, 10, { exclude: train });
    const cfRows = cf!.scoreUsers(users);
    const contentRows = content!.scoreUsers(users);
    const n = train.nItems;
    const candidates = new Int32Array(nCand);
    const expected = new Int32Array(10);
    for (let u = 0; u < train.nUsers; u++) {
      topK(contentRows, nCand, candidates, undefined, train.itemsOf(u), u * n, n);
      const masked = new Float32Array(n).fill(Number.NaN);
      for (const i of candidates) masked[i] = cfRows[u * n + i];
      topK(masked, 10, expected);
      expect(Array.from(top.items.subarray(u * 10, u * 10 + 10))).toEqual(Array.from(expected));
    }
  });

  it('with at least as many candidates as items it ranks like the CF model alone', async () => {
    const model = await fitted(train.nItems);
    const users = range(train.nUsers);
    const a = recommendTopK(model, users, train.nItems, 10, { exclude: train });
    const b = recommendTopK(model.members.cf!, users, train.nItems, 10, { exclude: train });
    expect(a.items).toEqual(b.items);
  });

  it('explain: the score is the scored value; candidates carry their content rank, the rest are "outside"', async () => {
    const model = await fitted(20);
    for (const u of [0, 13, 99]) {
      const scores = model.scoreUsers(Int32Array.of(u));
      const top = recommendTopK(model, Int32Array.of(u), train.nItems, 1, { exclude: train });
      const best = model.explain(u, top.items[0]);
      expect(best.details.stage).toBe('candidate');
      expect(best.details.contentRank).toBeGreaterThanOrEqual(0);
      expect(best.details.contentRank).toBeLessThan(20);
      expect(best.score).toBe(scores[top.items[0]]);
      expect(best.details.cfScore).toBe(best.score);
      for (const n of best.nearestLikedItems) expect(train.has(u, n.item)).toBe(true);
      // the lowest-scored item is outside the candidates
      let worst = 0;
      for (let i = 1; i < train.nItems; i++) if (scores[i] < scores[worst]) worst = i;
      const e = model.explain(u, worst);
      expect(e.details.stage === 'outside' || train.has(u, worst)).toBe(true);
      expect(e.score).toBe(scores[worst]);
      expect(e.contributions).toEqual(e.details.stage === 'outside' ? {} : { cf: e.score });
    }
  });

  it('similarItems: the content stage\'s list, never the item itself', async () => {
    const model = await fitted(20);
    for (const item of [1, 30, 77]) {
      const r = model.similarItems(item, 6);
      expect(r).toEqual(model.members.content!.similarItems(item, 6));
      expect(Array.from(r.items)).not.toContain(item);
    }
  });

  it('explainFromItems: the score is scoreFromItems\' value for the same basket, neighbours are from the basket', async () => {
    const model = await fitted(20);
    const liked = Int32Array.of(4, 40, 90);
    const scores = model.scoreFromItems(liked);
    for (const item of [0, 7, 55, 120]) {
      const e = model.explainFromItems(liked, item);
      expect(e.score).toBe(scores[item]);
      for (const n of e.nearestLikedItems) expect(Array.from(liked)).toContain(n.item);
    }
  });

  it('cold start: basket candidates from content, CF fold-in scores on them, liked items never candidates', async () => {
    const model = await fitted(25);
    const liked = Int32Array.of(4, 40, 90);
    const scores = model.scoreFromItems(liked);
    const cfScores = (model.members.cf as unknown as ColdStartScorer).scoreFromItems(liked);
    const contentScores = model.members.content!.scoreFromItems(liked);
    const candidates = new Int32Array(25);
    topK(contentScores, 25, candidates, undefined, Int32Array.from(liked).sort());
    let lowest = Infinity;
    for (const i of candidates) {
      expect(scores[i]).toBe(cfScores[i]);
      lowest = Math.min(lowest, scores[i]);
    }
    for (let i = 0; i < train.nItems; i++) if (!candidates.includes(i)) expect(scores[i]).toBeLessThan(lowest);
  });

  it('a candidate nobody played gets the CF score of its only content neighbour instead of sinking', async () => {
    // item 149 loses its interactions and shares its artist with item 3 only
    const { cold, twin, coldTrain, artistCatalog } = coldItemCase(train, 149, 3);
    const make = async (coldNeighbors: number) => {
      const model = new TwoStageRecommender({ cfParams, candidates: train.nItems, contentParams: { source: 'artist' }, coldNeighbors });
      await model.fit(coldTrain, { seed: 42, catalog: artistCatalog });
      return model;
    };
    const model = await make(20);
    const all = range(coldTrain.nUsers);
    const rows = model.scoreUsers(all);
    const cfRows = model.members.cf!.scoreUsers(all);
    const n = train.nItems;
    let checked = 0;
    for (let u = 0; u < coldTrain.nUsers; u++) {
      if (coldTrain.has(u, twin)) continue;
      checked++;
      // every unseen item is a candidate: the cold one carries its twin's CF score
      expect(rows[u * n + cold]).toBe(cfRows[u * n + twin]);
      expect(rows[u * n + twin]).toBe(cfRows[u * n + twin]);
    }
    expect(checked).toBeGreaterThan(100);
    const e = model.explain(0, cold);
    expect(e.details.cfImputedFrom).toEqual([{ item: twin, weight: 1 }]);
    expect(e.details.cfScore).toBe(cfRows[twin]);
    expect(e.score).toBe(rows[cold]);
    // switched off, the unplayed item keeps the CF model's own score for it
    const off = await make(0);
    expect(off.scoreUsers(Int32Array.of(0))[cold]).toBe(off.members.cf!.scoreUsers(Int32Array.of(0))[cold]);
    expect(off.explain(0, cold).details.cfImputedFrom).toEqual([]);
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-two-stage-'));
    try {
      await model.save(dir);
      expect((await twoStageFactory.load(dir)).scoreUsers(all)).toEqual(rows);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('save → load gives the same scores', async () => {
    const model = await fitted(30);
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-two-stage-'));
    try {
      await model.save(dir);
      const loaded = await twoStageFactory.load(dir);
      const users = range(train.nUsers);
      expect(loaded.scoreUsers(users)).toEqual(model.scoreUsers(users));
      if (!isExplainer(loaded)) throw new Error('the loaded two-stage model lost Explainer');
      expect(loaded.explain(7, 3)).toEqual(model.explain(7, 3));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records why the content stage was skipped, and rejects bad options', async () => {
    const model = new TwoStageRecommender({ cfParams });
    await model.fit(train, { seed: 1 });
    expect(model.describe().contentSkipped).toMatch(/no catalog/);
    expect(() => new TwoStageRecommender({ candidates: 0 })).toThrow(ConfigError);
    expect(() => new TwoStageRecommender({ coldNeighbors: -1 })).toThrow(/"coldNeighbors"/);
    expect(() => new TwoStageRecommender({ cf: 'two-stage' })).toThrow(/option "cf"/);
    expect(() => new TwoStageRecommender({ candidate: 5 } as never)).toThrow(/unknown option "candidate"/);
  });
});
