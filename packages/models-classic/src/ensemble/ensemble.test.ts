import type { SimilarItems } from '@musicrec/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Interactions, isExplainer, range, recommendTopK, type Catalog } from '@musicrec/core';
import { describeRecommender } from '@musicrec/core/testing';
import { generateSynthetic, holdoutSplit } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { coldItemCase } from '../cold-start/cold-item-case.fixture';
import { NO_CONTENT_SCORE } from '../content-knn';
import { blendInto, topMinMaxInto, zScoreInto } from './blend';
import { historyBucket, type BucketWeights } from './config';
import { AdaptiveEnsemble } from './ensemble';
import { ensembleFactory } from './factory';
import { simplexGrid } from './simplex-grid';
import { tuneBucket } from './weight-tuning';

/** A small iALS so every fit in this file stays quick. */
const cfParams = { factors: 8, iterations: 6, validateEvery: 0, threads: 1 };

describeRecommender('ensemble', () => new AdaptiveEnsemble({ cfParams }), {
  factory: ensembleFactory,
  learnData: () => generateSynthetic({ nUsers: 300, nItems: 200, nInteractions: 6000, seed: 7 }).interactions,
});

const synthetic = generateSynthetic({ nUsers: 240, nItems: 150, nInteractions: 4000, seed: 3 });
const catalog: Catalog = synthetic.catalog!;
const split = holdoutSplit(synthetic.interactions.binarize(), { seed: 42 });
const { train, validation } = split;

async function fitted(params: ConstructorParameters<typeof AdaptiveEnsemble>[0], withValidation = true): Promise<AdaptiveEnsemble> {
  const model = new AdaptiveEnsemble({ cfParams, ...params });
  await model.fit(train, { seed: 42, catalog, ...(withValidation ? { validation } : {}) });
  return model;
}

const zRows = (scores: Float32Array, n: number): Float32Array => {
  const out = new Float32Array(scores.length);
  for (let off = 0; off < scores.length; off += n) zScoreInto(scores, off, n, out, off);
  return out;
};

describe('zScoreInto / blendInto / simplexGrid', () => {
  it('z-scores over the scored items; unscorable items get the lowest z; a constant row is all 0', () => {
    const out = new Float32Array(4);
    zScoreInto(Float32Array.of(1, 2, 3, NO_CONTENT_SCORE), 0, 4, out, 0);
    const z = Math.sqrt(1.5); // (3 − 2) / sqrt(2/3)
    expect(Array.from(out)).toEqual(Array.from(Float32Array.of(-z, 0, z, -z)));
    zScoreInto(Float32Array.of(5, 5, 5), 0, 3, out, 0);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('top-minmax: the best unseen item → 1, the N-th → 0, below it 0; items without content 0', () => {
    const src = Float32Array.of(5, 1, 3, 9, NO_CONTENT_SCORE, 2);
    const out = new Float32Array(6);
    // item 3 is seen: the top 3 unseen are 0 (5), 2 (3), 5 (2) → min 2, span 3
    topMinMaxInto(src, 0, 6, out, 0, { items: new Int32Array(3), scores: new Float32Array(3) }, Int32Array.of(3));
    expect(Array.from(out)).toEqual(Array.from(Float32Array.of(1, 0, 1 / 3, 7 / 3, 0, 0)));
    // a flat top maps to 1, the rest to 0
    topMinMaxInto(Float32Array.of(2, 2, 1), 0, 3, out, 0, { items: new Int32Array(2), scores: new Float32Array(2) });
    expect(Array.from(out.subarray(0, 3))).toEqual([1, 1, 0]);
  });

  it('blends member rows with the weights, skipping zero weights and missing rows', () => {
    const out = new Float32Array(2);
    blendInto([Float32Array.of(1, 2), null, Float32Array.of(10, 20)], 0, [0.5, 1, 0.25], 2, out, 0, new Float64Array(2));
    expect(Array.from(out)).toEqual([3, 6]);
  });

  it('enumerates the weight simplex at the step, disabled members held at 0', () => {
    expect(simplexGrid([true, false, true], 0.5)).toEqual([
      [1, 0, 0],
      [0.5, 0, 0.5],
      [0, 0, 1],
    ]);
    const grid = simplexGrid([true, true, true], 0.2);
    expect(grid.length).toBe(21);
    for (const w of grid) expect(w.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
  });
});

describe('tuneBucket', () => {
  it('picks the weight vector with the best validation NDCG (hand case), ties to the earlier candidate', () => {
    // 1 user × 4 items; train item 0, validation item 3. Member A ranks 1, 2, 3; member B ranks 3 first.
    const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    const tr = Interactions.fromTriples([0], [0], null, ids(1, 'u'), ids(4, 'i'));
    const va = Interactions.fromTriples([0], [3], null, ids(1, 'u'), ids(4, 'i'));
    const result = tuneBucket({
      memberRows: () => [Float32Array.of(0, 3, 2, 1), Float32Array.of(0, 0, 1, 3)],
      nItems: 4,
      train: tr,
      validation: va,
      users: Int32Array.of(0),
      candidates: [[1, 0], [0, 1], [0.5, 0.5]],
      k: 3,
      batchSize: 8,
    });
    // A: item 3 at rank 2 → 1/log2(4) = 0.5; B: rank 0 → 1; the mix scores 1: 1.5, 2: 1.5, 3: 2 → 1
    expect(result.ndcgs).toEqual([0.5, 1, 1]);
    expect(result.best).toEqual([0, 1]);
    expect(result.bestNdcg).toBe(1);
    expect(result.keptFirst).toBe(false);
  });

  it('keeps the first candidate unless the best beats it by one standard error of the paired difference', () => {
    const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    const tr = Interactions.fromTriples([0, 1, 2, 3], [0, 0, 0, 0], null, ids(4, 'u'), ids(4, 'i'));
    const run = (validationItems: number[]) =>
      tuneBucket({
        memberRows: (batch) => {
          const a = new Float32Array(batch.length * 4);
          const b = new Float32Array(batch.length * 4);
          for (let q = 0; q < batch.length; q++) {
            a.set([0, 3, 2, 1], q * 4);
            b.set([0, 0, 1, 3], q * 4);
          }
          return [a, b];
        },
        nItems: 4,
        train: tr,
        validation: Interactions.fromTriples([0, 1, 2, 3], validationItems, null, ids(4, 'u'), ids(4, 'i')),
        users: range(4),
        candidates: [[1, 0], [0, 1]],
        k: 1,
        batchSize: 3,
      });
    // NDCG@1 gains of B over A per user: +1, +1, −1, 0 → mean .25 < SE sqrt((2.75 / 3) / 4) ≈ .479: A kept
    const noisy = run([3, 3, 1, 2]);
    expect(noisy.ndcgs).toEqual([0.25, 0.5]);
    expect(noisy.best).toEqual([1, 0]);
    expect(noisy.keptFirst).toBe(true);
    // B wins for every user: mean gain 1, SE 0
    const clear = run([3, 3, 3, 3]);
    expect(clear.best).toEqual([0, 1]);
    expect(clear.keptFirst).toBe(false);
  });
});

describe('history buckets', () => {
  it('new ≤ 2, cold 3–10, active ≥ 11 by default; thresholds configurable', () => {
    expect([0, 1, 2, 3, 10, 11, 50].map((n) => historyBucket(n, 2, 10))).toEqual([0, 0, 0, 1, 1, 2, 2]);
    const m = new AdaptiveEnsemble({ newMaxItems: 0, coldMaxItems: 1 });
    expect([0, 1, 2].map((n) => m.bucketOf(n))).toEqual(['new', 'cold', 'active']);
  });

  it('a basket goes to the bucket of its length: one member per bucket shows which weights applied', async () => {
    // new → popularity only, cold → CF only, active → content only
    const model = await fitted({ normalization: 'zscore', bucketWeights: { new: [0, 0, 1], cold: [1, 0, 0], active: [0, 1, 0] } });
    const n = train.nItems;
    const basket = (len: number) => range(len).map((i) => i * 3);
    const member = (name: 'cf' | 'content' | 'popularity', items: Int32Array) =>
      zRows((model.member(name) as unknown as { scoreFromItems(i: Int32Array): Float32Array }).scoreFromItems(items), n);
    for (const [len, name] of [[2, 'popularity'], [3, 'cf'], [10, 'cf'], [11, 'content']] as const) {
      expect(model.scoreFromItems(basket(len))).toEqual(member(name, basket(len)));
      expect(model.explainFromItems(basket(len), 1).details.bucket).toBe(model.bucketOf(len));
    }
    // training users go by their training-history length
    for (let u = 0; u < train.nUsers; u += 17) {
      expect(model.explain(u, 0).details.bucket).toBe(model.bucketOf(train.rowLength(u)));
    }
  });
});

describe('AdaptiveEnsemble', () => {
  it('with weights (1, 0, 0) everywhere equals its CF member’s normalised scores (z-score and top-minmax)', async () => {
    const one: BucketWeights = { new: [1, 0, 0], cold: [1, 0, 0], active: [1, 0, 0] };
    const model = await fitted({ bucketWeights: one, normalization: 'zscore' });
    const users = range(train.nUsers);
    expect(model.scoreUsers(users)).toEqual(zRows(model.member('cf')!.scoreUsers(users), train.nItems));
    expect(model.describe().weightsSource).toBe('given');
    // the default normalisation: min–max over the CF member's top 10 unseen items
    const top = await fitted({ bucketWeights: one, normalizationTopN: 10 });
    const cf = top.member('cf')!.scoreUsers(users);
    const n = train.nItems;
    const expected = new Float32Array(cf.length);
    const scratch = { items: new Int32Array(10), scores: new Float32Array(10) };
    for (let u = 0; u < train.nUsers; u++) topMinMaxInto(cf, u * n, n, expected, u * n, scratch, train.itemsOf(u));
    expect(top.scoreUsers(users)).toEqual(expected);
  });

  it('tunes one weight vector per bucket on the validation fold, each on the simplex grid', async () => {
    const model = await fitted({});
    const info = model.describe();
    expect(info.weightsSource).toBe('tuned');
    const grid = simplexGrid([true, true, true], 0.2).map((w) => JSON.stringify(w));
    const weights = model.bucketWeights!;
    for (const b of ['new', 'cold', 'active'] as const) {
      // the simplex point, then the cold-item share the tuning picked (0 or 1)
      expect(grid).toContain(JSON.stringify(weights[b].slice(0, 3)));
      expect([0, 1]).toContain(weights[b][3]);
    }
    const users = info.validationUsersByBucket as Record<string, number>;
    expect(users.cold + users.active + (users.new ?? 0)).toBeGreaterThan(0);
    // untuned without a validation fold
    const untuned = await fitted({}, false);
    expect(untuned.describe().weightsSource).toBe('untuned');
    // the refit on train ∪ validation takes the tuned weights; untuned or given ones are nothing chosen
    expect(model.refitParams()).toEqual({ bucketWeights: weights });
    expect(untuned.refitParams()).toEqual({});
    expect((await fitted({ bucketWeights: weights })).refitParams()).toEqual({});
  });

  it('tunes a bucket with too few validation users on simulated short histories, reproducibly', async () => {
    const a = await fitted({ minBucketUsers: 1000, simulatedUsers: 40 });
    const info = a.describe();
    expect(info.simulatedBuckets).toEqual(['new', 'cold']);
    const users = info.validationUsersByBucket as Record<string, number>;
    expect(users.new).toBe(40);
    expect(users.cold).toBe(40);
    const b = await fitted({ minBucketUsers: 1000, simulatedUsers: 40 });
    expect(b.bucketWeights).toEqual(a.bucketWeights);
    const none = await fitted({ minBucketUsers: 0 });
    expect(none.describe().simulatedBuckets).toBeUndefined();
  });

  it('similarItems: the content member\'s list, never the item itself', async () => {
    const model = await fitted({});
    const content = model.member('content') as unknown as SimilarItems;
    for (const item of [0, 9, 42]) {
      const r = model.similarItems(item, 5);
      expect(r).toEqual(content.similarItems(item, 5));
      expect(Array.from(r.items)).not.toContain(item);
    }
  });

  it('explain: contributions sum to the score exactly, the score is the scored value, neighbours are liked items', async () => {
    const model = await fitted({});
    for (const u of [0, 5, 77, 150]) {
      const scores = model.scoreUsers(Int32Array.of(u));
      for (const item of [0, 9, 42, 149]) {
        const e = model.explain(u, item);
        const sum = (e.contributions.cf ?? 0) + (e.contributions.content ?? 0) + (e.contributions.popularity ?? 0);
        expect(sum).toBe(e.score);
        expect(Math.fround(e.score)).toBe(scores[item]);
        const liked = Array.from(train.itemsOf(u));
        for (const n of e.nearestLikedItems) {
          expect(liked).toContain(n.item);
          expect(n.item).not.toBe(item);
        }
      }
    }
    expect(model.explain(5, 9).nearestLikedItems.length).toBeGreaterThan(0);
  });

  it('a cold item whose only content neighbour is played item j scores exactly what j scores (imputed CF and popularity)', async () => {
    const { cold, twin, coldTrain, artistCatalog } = coldItemCase(train, 149, 3);
    const weights: BucketWeights = { new: [0.5, 0.3, 0.2], cold: [0.5, 0.3, 0.2], active: [0.5, 0.3, 0.2] };
    const make = async (coldNeighbors: number) => {
      const model = new AdaptiveEnsemble({ cfParams, bucketWeights: weights, contentParams: { source: 'artist' }, coldNeighbors });
      await model.fit(coldTrain, { seed: 42, catalog: artistCatalog });
      return model;
    };
    const model = await make(20);
    const off = await make(0);
    const users = range(coldTrain.nUsers);
    const rows = model.scoreUsers(users);
    const offRows = off.scoreUsers(users);
    const n = coldTrain.nItems;
    let sunk = 0;
    let checked = 0;
    for (let u = 0; u < coldTrain.nUsers; u++) {
      if (coldTrain.has(u, twin)) continue; // the twin is seen: content would favour the cold item
      checked++;
      expect(rows[u * n + cold]).toBe(rows[u * n + twin]);
      if (offRows[u * n + cold] < offRows[u * n + twin]) sunk++;
    }
    expect(checked).toBeGreaterThan(100);
    // without imputation the unplayed item sits below its twin for most users
    expect(sunk).toBeGreaterThan(checked / 2);
    const e = model.explain(3, cold);
    expect(e.details.coldItemImputedFrom).toEqual([{ item: twin, weight: 1 }]);
    expect((e.contributions.cf ?? 0) + (e.contributions.content ?? 0) + (e.contributions.popularity ?? 0)).toBe(e.score);
    expect(Math.fround(e.score)).toBe(rows[3 * n + cold]);
    expect(model.explain(3, twin).details.coldItemImputedFrom).toEqual([]);
    // a bucket's cold-item share: 0 = as without imputation, 1 = as the default (absent)
    const shared = async (share: number) => {
      const m = new AdaptiveEnsemble({
        cfParams,
        contentParams: { source: 'artist' },
        bucketWeights: { new: [...weights.new, share], cold: [...weights.cold, share], active: [...weights.active, share] },
      });
      await m.fit(coldTrain, { seed: 42, catalog: artistCatalog });
      return m.scoreUsers(users);
    };
    expect(await shared(0)).toEqual(offRows);
    expect(await shared(1)).toEqual(rows);
    expect(() => new AdaptiveEnsemble({ bucketWeights: { new: [1, 0, 0, 2], cold: [1, 0, 0], active: [1, 0, 0] } })).toThrow(/cold-item share/);
    // the liked-items path imputes too
    const basket = coldTrain.itemsOf(3);
    const fromItems = model.scoreFromItems(basket);
    if (!basket.includes(twin)) expect(fromItems[cold]).toBe(fromItems[twin]);
    // and the imputation survives save → load
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-ensemble-'));
    try {
      await model.save(dir);
      expect((await ensembleFactory.load(dir)).scoreUsers(users)).toEqual(rows);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('save → load gives the same scores, weights and explanations (MMR on)', async () => {
    const model = await fitted({ mmrLambda: 0.5, mmrPool: 20 });
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-ensemble-'));
    try {
      await model.save(dir);
      const loaded = await ensembleFactory.load(dir);
      const users = range(train.nUsers);
      expect(loaded.scoreUsers(users)).toEqual(model.scoreUsers(users));
      expect((loaded as AdaptiveEnsemble).bucketWeights).toEqual(model.bucketWeights);
      if (!isExplainer(loaded)) throw new Error('the loaded ensemble lost Explainer');
      expect(loaded.explain(3, 4)).toEqual(model.explain(3, 4));
      expect(loaded.params).toEqual(model.params);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('mmrLambda < 1 re-ranks the blended list: same first item, the rest drawn from the blended pool', async () => {
    const weights = { new: [0.4, 0.4, 0.2], cold: [0.6, 0.2, 0.2], active: [0.6, 0.4, 0] };
    const plain = await fitted({ bucketWeights: weights });
    const diverse = await fitted({ bucketWeights: weights, mmrLambda: 0.3, mmrPool: 15 });
    const users = range(train.nUsers);
    const a = recommendTopK(plain, users, train.nItems, 15, { exclude: train });
    const b = recommendTopK(diverse, users, train.nItems, 10, { exclude: train });
    let reordered = 0;
    for (let u = 0; u < train.nUsers; u++) {
      const pool = Array.from(a.items.subarray(u * 15, u * 15 + 15));
      const list = Array.from(b.items.subarray(u * 10, u * 10 + 10));
      expect(list[0]).toBe(pool[0]);
      for (const i of list) expect(pool).toContain(i);
      if (list.some((i, r) => i !== pool[r])) reordered++;
    }
    expect(reordered).toBeGreaterThan(0);
  });

  it('skips content without a catalog and records why', async () => {
    const model = new AdaptiveEnsemble({ cfParams });
    await model.fit(train, { seed: 1 });
    expect(model.member('content')).toBeNull();
    expect(model.describe().skippedMembers).toEqual({ content: 'no catalog in the fit context' });
    for (const b of ['new', 'cold', 'active'] as const) {
      expect(model.bucketWeights![b][1]).toBe(0);
      expect(model.bucketWeights![b][0] + model.bucketWeights![b][2]).toBeCloseTo(1, 12);
    }
    const e = model.explain(0, 1);
    expect(e.contributions.content).toBeUndefined();
  });

  it('rejects bad options with the option named', () => {
    expect(() => new AdaptiveEnsemble({ cf: 'ensemble' })).toThrow(/option "cf"/);
    expect(() => new AdaptiveEnsemble({ newMaxItems: 5, coldMaxItems: 5 })).toThrow(ConfigError);
    expect(() => new AdaptiveEnsemble({ bucketWeights: { new: [1, 0], cold: [1, 0, 0], active: [1, 0, 0] } })).toThrow(/bucketWeights.new/);
    expect(() => new AdaptiveEnsemble({ weightStep: 0.3 })).toThrow(/weightStep/);
    expect(() => new AdaptiveEnsemble({ mmrLambda: 2 })).toThrow(/mmrLambda/);
    expect(() => new AdaptiveEnsemble({ normalization: 'rank' as never })).toThrow(/normalization/);
    expect(() => new AdaptiveEnsemble({ wieghts: 1 } as never)).toThrow(/unknown option "wieghts"/);
  });
});
