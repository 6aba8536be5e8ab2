import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, Interactions, ModelFitError, isColdStartScorer, isSimilarItems, range, type Catalog, type FitContext, type Recommender } from '@musicrec/core';
import { describeRecommender } from '@musicrec/core/testing';
import { generateSynthetic } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { contentKnnDefaults, contentKnnSearchSpace, type ContentKnnOptions } from './config';
import { ContentKnnRecommender, NO_CONTENT_SCORE } from './content-knn';
import { contentKnnFactory } from './factory';

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
const f = Math.fround;

/**
 * Five tracks, two audio columns, both with mean 0 over the four tracks that have audio
 * (track 4 has none). z-scores: column 0 → ±1, column 1 → (1, 1, 0, −2)/√1.5, so
 * v0 = (1, √(2/3)), v1 = (−1, √(2/3)), v2 = (1, 0), v3 = (−1, −2√(2/3)) and
 * cos(0,1) = −0.2, cos(0,2) = √0.6, cos(0,3) = −7/√55: track 0's nearest neighbour is track 2.
 */
const audioCatalog: Catalog = {
  itemIds: ids(5, 't'),
  audio: {
    columns: ['energy', 'valence'],
    values: Float32Array.of(3, 1, -3, 1, 3, 0, -3, -2, Number.NaN, Number.NaN),
    present: Uint8Array.of(1, 1, 1, 1, 0),
  },
};
const cos01 = -0.2;
const cos02 = Math.sqrt(0.6);
const cos03 = -7 / Math.sqrt(55);
// nobody plays track 2 (item cold start) or track 4 (no audio)
const train = Interactions.fromTriples([0, 1, 1], [0, 1, 3], null, ids(2, 'u'), ids(5, 't'));

async function fitted(params: ContentKnnOptions = {}, catalog: Catalog = audioCatalog, m = train): Promise<ContentKnnRecommender> {
  const model = new ContentKnnRecommender(params);
  await model.fit(m, { seed: 1, catalog });
  return model;
}

/** Test wrapper: the shared suite fits with `{ seed }` only, so it binds a catalog of the right size. */
class WithCatalog implements Recommender {
  constructor(
    private readonly inner: ContentKnnRecommender,
    private readonly catalogFor: (train: Interactions) => Catalog,
  ) {}
  get name(): string {
    return this.inner.name;
  }
  get params(): Readonly<Record<string, unknown>> {
    return this.inner.params;
  }
  fit(train: Interactions, ctx: FitContext): Promise<void> {
    return this.inner.fit(train, { ...ctx, catalog: this.catalogFor(train) });
  }
  scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
    return this.inner.scoreUsers(users, out);
  }
  save(dir: string): Promise<void> {
    return this.inner.save(dir);
  }
}

const learnSet = generateSynthetic({ nUsers: 400, nItems: 300, nInteractions: 8000, seed: 7 });
/** The learn data's own catalog (audio tied to its clusters); any other size gets a synthetic catalog of that size. */
const catalogFor = (m: Interactions): Catalog =>
  m.nItems === learnSet.interactions.nItems ? learnSet.catalog : generateSynthetic({ nUsers: 20, nItems: m.nItems, nInteractions: 100, seed: 3 }).catalog;
const suiteOptions = {
  factory: contentKnnFactory,
  learnData: () => learnSet.interactions,
  // the checkerboard is a collaborative known answer: its items have no content that tells the groups apart
  knownAnswer: false,
};
describeRecommender('content-knn (audio, knn-sum)', () => new WithCatalog(new ContentKnnRecommender({ neighbors: 20 }), catalogFor), suiteOptions);
describeRecommender(
  'content-knn (audio+tags, mean)',
  () => new WithCatalog(new ContentKnnRecommender({ source: 'audio+tags', profile: 'mean' }), catalogFor),
  suiteOptions,
);

describe('ContentKnnRecommender', () => {
  it('finds the obvious nearest neighbour with hand-computed cosines, skipping items without audio', async () => {
    const model = await fitted();
    const s = model.similarItems(0, 4);
    expect(Array.from(s.items)).toEqual([2, 1, 3, -1]);
    expect(s.scores[0]).toBeCloseTo(cos02, 6);
    expect(s.scores[1]).toBeCloseTo(cos01, 6);
    expect(s.scores[2]).toBeCloseTo(cos03, 6);
    expect(s.scores[3]).toBe(-Infinity);
    expect(model.similarity(0, 2)).toBeCloseTo(cos02, 6);
    expect(model.similarity(0, 4)).toBe(0);
  });

  it('item cold start: a track nobody played is still returned by similarItems and recommended', async () => {
    const model = await fitted({ neighbors: 1 });
    expect(model.similarItems(0, 1).items[0]).toBe(2);
    // u0 played only track 0: its knn-sum row is track 0's single neighbour
    const row = model.scoreUsers(Int32Array.of(0));
    expect(row[2]).toBeCloseTo(cos02, 6);
    expect(Array.from(row.subarray(0, 2))).toEqual([0, 0]);
  });

  it('similarItems is exact over all items even past the kept neighbours', async () => {
    const pruned = await fitted({ neighbors: 1 });
    const full = await fitted({ neighbors: 4 });
    expect(pruned.similarItems(0, 3)).toEqual(full.similarItems(0, 3));
    expect(pruned.similarItems(4, 2).items).toEqual(Int32Array.of(-1, -1)); // no audio, no neighbours
  });

  it('knn-sum and mean profiles score users as documented; items without content rank last', async () => {
    const knn = await fitted();
    const rows = knn.scoreUsers(Int32Array.of(0, 1));
    // u0 = {0}: S[0, ·]; u1 = {1, 3}: S[1, ·] + S[3, ·]
    const expected0 = [0, cos01, cos02, cos03, NO_CONTENT_SCORE];
    for (let i = 0; i < 5; i++) expect(rows[i]).toBeCloseTo(expected0[i], 6);
    // cos(1,2) = −1/√(5/3); cos(1,3) = (1 − 4/3)/(√(5/3)·√(11/3)) = −1/√55; cos(3,2) = −1/√(11/3)
    expect(rows[5 + 2]).toBeCloseTo(-1 / Math.sqrt(5 / 3) - 1 / Math.sqrt(11 / 3), 6);
    expect(rows[5 + 0]).toBeCloseTo(cos01 + cos03, 6);
    expect(rows[5 + 4]).toBe(f(NO_CONTENT_SCORE));

    const mean = await fitted({ profile: 'mean' });
    const m0 = mean.scoreUsers(Int32Array.of(0));
    const expectedMean = [1, cos01, cos02, cos03];
    for (let i = 0; i < 4; i++) expect(m0[i]).toBeCloseTo(expectedMean[i], 6);
    expect(m0[4]).toBe(f(NO_CONTENT_SCORE));
  });

  it('cold start: scoreFromItems equals the scores of a training user with the same items', async () => {
    for (const profile of ['knn-sum', 'mean'] as const) {
      const model = await fitted({ profile, source: 'audio+tags' }, learnSet.catalog, learnSet.interactions);
      const u = 5;
      const items = learnSet.interactions.itemsOf(u);
      expect(model.scoreFromItems(items)).toEqual(model.scoreUsers(Int32Array.of(u)));
    }
  });

  it('tag TF-IDF: equal-idf tags give cosine 1/√2, and audio+tags mixes the two cosines by audioShare', async () => {
    const tagged: Catalog = {
      ...audioCatalog,
      // t0 {a}, t1 {b}, t2 {a, b}, t3 {b}, t4 none: df(a) = 2, df(b) = 3
      tags: {
        indptr: Int32Array.of(0, 1, 2, 4, 5, 5),
        tagIndices: Int32Array.of(0, 1, 0, 1, 1),
        counts: Float32Array.of(1, 1, 1, 1, 1),
        tagNames: ['a', 'b'],
      },
    };
    const tags = await fitted({ source: 'tags' }, tagged);
    const idfA = Math.log(6 / 3) + 1;
    const idfB = Math.log(6 / 4) + 1;
    expect(tags.similarity(0, 2)).toBeCloseTo(idfA / Math.hypot(idfA, idfB), 6);
    expect(tags.similarity(1, 3)).toBeCloseTo(1, 6);
    expect(tags.similarity(0, 1)).toBe(0);
    expect(tags.scoreUsers(Int32Array.of(0))[4]).toBe(f(NO_CONTENT_SCORE));

    const both = await fitted({ source: 'audio+tags', audioShare: 0.25 }, tagged);
    expect(both.similarity(0, 2)).toBeCloseTo(0.25 * cos02 + 0.75 * tags.similarity(0, 2), 6);
    // t4 has neither audio nor tags; t0..t3 have both
    expect(both.similarItems(4, 1).items[0]).toBe(-1);
    // 'auto' takes every block the catalog has
    expect((await fitted({}, tagged)).describe()).toMatchObject({ source: 'audio+tags' });
    expect((await fitted({}, { itemIds: tagged.itemIds, tags: tagged.tags })).describe()).toMatchObject({ source: 'tags' });
  });

  describe('artist block', () => {
    // t0, t1 by A; t2, t4 by B (t4 has no audio); t3 has no artist
    const withArtists: Catalog = { ...audioCatalog, artists: ['A', 'A', 'B', null, ' B '] };

    it('same-artist tracks become nearest: cosine = Σ share · block cosine, hand-computed', async () => {
      const model = await fitted({ source: 'audio+artist', shares: { audio: 1, artist: 1 } }, withArtists);
      // both blocks, shares 1 : 1: 0.5 · cos_audio + 0.5 · [same artist]
      expect(model.similarity(0, 1)).toBeCloseTo(0.5 * cos01 + 0.5, 6);
      expect(model.similarity(0, 2)).toBeCloseTo(0.5 * cos02, 6);
      // t3 has audio only, so its row is its audio block alone: √0.5 · 1 · cos(0, 3)
      expect(model.similarity(0, 3)).toBeCloseTo(Math.sqrt(0.5) * cos03, 6);
      // t4 has the artist only (blank-padded name is the same artist): √0.5 · 1
      expect(model.similarity(2, 4)).toBeCloseTo(Math.sqrt(0.5), 6);
      expect(model.similarity(0, 4)).toBe(0);
      // audio alone makes t2 t0's nearest; the shared artist puts t1 first
      expect(model.similarItems(0, 1).items[0]).toBe(1);
      expect((await fitted({ source: 'audio' }, withArtists)).similarItems(0, 1).items[0]).toBe(2);
      expect(Array.from(model.similarItems(4, 4).items)).toEqual([2, 0, 1, 3]);
      // the default shares (artist 19 : audio 1): 0.95 · [same artist] + 0.05 · cos_audio
      expect((await fitted({ source: 'audio+artist' }, withArtists)).similarity(0, 1)).toBeCloseTo(0.95 + 0.05 * cos01, 6);
      // t4 has content now (its artist): scored like any other item, no NO_CONTENT_SCORE
      expect(model.scoreUsers(Int32Array.of(0))[4]).toBe(0);
    });

    it('shares weight the blocks; a partial shares object keeps the other defaults', async () => {
      const model = await fitted({ source: 'audio+artist', shares: { audio: 1, artist: 3 } }, withArtists);
      expect(model.params.shares).toEqual({ audio: 1, tags: contentKnnDefaults.shares.tags, artist: 3 });
      expect(model.similarity(0, 1)).toBeCloseTo(0.25 * cos01 + 0.75, 6);
      expect(model.similarity(0, 2)).toBeCloseTo(0.25 * cos02, 6);
      const artistOnly = await fitted({ source: 'artist' }, withArtists);
      expect(artistOnly.similarity(0, 1)).toBeCloseTo(1, 6);
      expect(artistOnly.similarity(0, 2)).toBe(0);
      expect(artistOnly.scoreUsers(Int32Array.of(0))[3]).toBe(f(NO_CONTENT_SCORE)); // t3: no artist, no content
    });

    it("'auto' adds the artist block only when two items share an artist", async () => {
      expect((await fitted({}, withArtists)).describe()).toMatchObject({ source: 'audio+artist', artists: 2 });
      const distinct: Catalog = { ...audioCatalog, artists: ['A', 'B', 'C', null, 'D'] };
      expect((await fitted({}, distinct)).describe()).toMatchObject({ source: 'audio' });
    });

    it('the legacy audioShare still means the audio/tags mix; conflicting or bad shares are rejected', async () => {
      expect(new ContentKnnRecommender({ audioShare: 0.25 }).params.shares).toEqual({ audio: 0.25, tags: 0.75, artist: contentKnnDefaults.shares.artist });
      expect(() => new ContentKnnRecommender({ audioShare: 0.25, shares: { audio: 1 } })).toThrow(/"audioShare" and "shares" conflict/);
      expect(() => new ContentKnnRecommender({ shares: { genre: 1 } as never })).toThrow(/unknown block "genre"/);
      expect(() => new ContentKnnRecommender({ shares: { artist: -1 } })).toThrow(/shares.artist/);
      expect(() => new ContentKnnRecommender({ source: 'artist+audio' as never })).toThrow(/"source"/);
      await expect(fitted({ source: 'audio+artist', shares: { audio: 0, artist: 0 } }, withArtists)).rejects.toThrow(/share 0/);
      await expect(fitted({ source: 'artist' })).rejects.toThrow(/field "catalog.artists"/);
      await expect(fitted({ source: 'artist' }, { ...withArtists, artists: ['A'] })).rejects.toThrow(/field "catalog.artists"/);
    });

    it('save → load keeps the artist block', async () => {
      const model = await fitted({ source: 'audio+artist', neighbors: 2, shares: { audio: 1, artist: 1 } }, withArtists);
      const dir = await mkdtemp(join(tmpdir(), 'musicrec-content-knn-'));
      try {
        await model.save(dir);
        const loaded = (await contentKnnFactory.load(dir)) as ContentKnnRecommender;
        expect(loaded.scoreUsers(range(2))).toEqual(model.scoreUsers(range(2)));
        expect(loaded.similarity(0, 1)).toBe(model.similarity(0, 1));
        expect(loaded.describe()).toEqual(model.describe());
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  it('save → load gives the same scores and neighbours for both profiles', async () => {
    for (const profile of ['knn-sum', 'mean'] as const) {
      const model = await fitted({ profile, source: 'audio+tags' }, learnSet.catalog, learnSet.interactions);
      const dir = await mkdtemp(join(tmpdir(), 'musicrec-content-knn-'));
      try {
        await model.save(dir);
        const loaded = await contentKnnFactory.load(dir);
        const users = range(learnSet.interactions.nUsers);
        expect(loaded.scoreUsers(users)).toEqual(model.scoreUsers(users));
        // the loaded model keeps its abilities, found through the contracts
        if (!isSimilarItems(loaded) || !isColdStartScorer(loaded)) throw new Error('the loaded model lost SimilarItems / ColdStartScorer');
        expect(loaded.similarItems(3, 7)).toEqual(model.similarItems(3, 7));
        expect(loaded.scoreFromItems(Int32Array.of(1, 2))).toEqual(model.scoreFromItems(Int32Array.of(1, 2)));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it('errors name what is missing: catalog, its audio or tags, its size; bad options; use before fit', async () => {
    const model = new ContentKnnRecommender();
    await expect(model.fit(train, { seed: 1 })).rejects.toThrow(/field "ctx.catalog"/);
    await expect(model.fit(train, { seed: 1, catalog: { itemIds: ids(5, 't') } })).rejects.toThrow(/field "catalog.tags"/);
    await expect(new ContentKnnRecommender({ source: 'audio' }).fit(train, { seed: 1, catalog: { itemIds: ids(5, 't') } })).rejects.toThrow(
      /field "catalog.audio"/,
    );
    await expect(model.fit(train, { seed: 1, catalog: { ...audioCatalog, itemIds: ids(4, 't') } })).rejects.toThrow(DataError);
    const noAudio: Catalog = { itemIds: ids(5, 't'), audio: { ...audioCatalog.audio!, present: new Uint8Array(5) } };
    await expect(model.fit(train, { seed: 1, catalog: noAudio })).rejects.toThrow(ModelFitError);
    expect(() => new ContentKnnRecommender({ neighbors: 0 })).toThrow(ConfigError);
    expect(() => new ContentKnnRecommender({ profile: 'max' as never })).toThrow(/"profile"/);
    expect(() => new ContentKnnRecommender({ audioShare: 2 })).toThrow(/"audioShare"/);
    expect(() => new ContentKnnRecommender({ neighbours: 5 } as never)).toThrow(/unknown option "neighbours"/);
    expect(() => model.scoreUsers(Int32Array.of(0))).toThrow(ModelFitError);
    const ok = await fitted();
    expect(() => ok.scoreFromItems(Int32Array.of(9))).toThrow(RangeError);
    expect(() => ok.similarItems(5, 1)).toThrow(RangeError);
  });

  it('load rejects another model’s directory, naming the field', async () => {
    const other = await mkdtemp(join(tmpdir(), 'musicrec-content-knn-'));
    try {
      await writeFile(join(other, 'model.json'), JSON.stringify({ format: 1, meta: { model: 'item-knn' }, arrays: {} }));
      await expect(ContentKnnRecommender.load(other)).rejects.toThrow(/field "meta.model"/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('search space keys are config keys', () => {
    for (const key of Object.keys(contentKnnSearchSpace)) expect(key in contentKnnDefaults).toBe(true);
    expect(contentKnnSearchSpace.neighbors).toEqual([20, 50, 200]);
  });
});
