import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '@musicrec/core';
import { ConfigError, DataError, ModelFitError } from '@musicrec/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MusicPreprocessor } from './music-preprocessor';

const AUDIO = ['danceability', 'energy', 'key', 'loudness', 'mode', 'valence', 'duration_ms'];
// five tracks, the last without an audio profile (its numbers must not influence the fit)
const audioRows = [
  [0.2, 0.5, 0, -10, 1, 0.1, 100000],
  [0.4, 0.6, 6, -8, 0, 0.5, 200000],
  [0.6, 0.7, 9, -6, 1, 0.9, 400000],
  [NaN, 0.8, -1, -4, 0, 0.3, 150000],
  [0.9, 0.9, 3, 0, 1, 0.9, 9e6],
];
function catalog(genres: (string | null)[] = ['pop', 'rock', 'pop', 'edm', 'jazz']): Catalog {
  return {
    itemIds: ['t0', 't1', 't2', 't3', 't4'],
    genres,
    releaseYears: Float32Array.from([2000, 2010, 2019, NaN, 1950]),
    popularity: Float32Array.from([0, 10, 50, 90, 100]),
    audio: { columns: AUDIO, values: Float32Array.from(audioRows.flat()), present: Uint8Array.from([1, 1, 1, 1, 0]) },
    tags: {
      indptr: Int32Array.from([0, 2, 3, 4, 4, 5]),
      tagIndices: Int32Array.from([0, 1, 0, 1, 1]),
      counts: Float32Array.from([5, 1, 2, 7, 3]),
      tagNames: ['pop', 'guitar'],
    },
  };
}
const cell = (v: Float32Array, dim: number, r: number, c: number) => v[r * dim + c];

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'musicrec-features-'));
  dirs.push(d);
  return d;
}

describe('MusicPreprocessor', () => {
  it('lays out numeric, interaction, key, mode and genre columns', () => {
    const out = new MusicPreprocessor().fitTransform(catalog());
    expect(out.columns).toEqual([
      'danceability', 'energy', 'loudness', 'valence', 'duration_ms', 'popularity', 'age_years',
      'energy*loudness', 'danceability*valence', 'key_sin', 'key_cos', 'mode=minor', 'mode=major',
      'genre=edm', 'genre=pop', 'genre=rock',
    ]);
    expect(out.dim).toBe(16);
    expect(out.values.length).toBe(5 * 16);
    expect(Array.from(out.present)).toEqual([1, 1, 1, 1, 0]);
  });

  it('robust-scales on items with audio only and imputes the median (→ 0)', () => {
    const { values, dim } = new MusicPreprocessor().fitTransform(catalog());
    // danceability over present items: 0.2, 0.4, 0.6 (NaN ignored) → median 0.4, IQR 0.5 − 0.3 = 0.2
    [-1, 0, 1, 0].forEach((z, r) => expect(cell(values, dim, r, 0)).toBeCloseTo(z, 5));
    // the item without audio is a zero row, though its raw values are extreme
    expect(Array.from(values.subarray(4 * dim))).toEqual(new Array(dim).fill(0));
  });

  it('logs duration before scaling, ages from the latest fitted year', () => {
    const { values, dim } = new MusicPreprocessor().fitTransform(catalog());
    // log1p(duration) over 100k, 150k, 200k, 400k: median (l150 + l200)/2, Q1/Q3 interpolated at positions 0.75, 2.25
    const l = [100000, 150000, 200000, 400000].map(Math.log1p);
    const med = (l[1] + l[2]) / 2;
    const q1 = l[0] + 0.75 * (l[1] - l[0]);
    const q3 = l[2] + 0.25 * (l[3] - l[2]);
    expect(cell(values, dim, 0, 4)).toBeCloseTo((l[0] - med) / (q3 - q1), 4);
    // ages (reference 2019, the latest among items with audio): 19, 9, 0, missing → median 9
    // → robust over 19, 9, 0: median 9, Q1 4.5, Q3 14 → (19 − 9)/9.5, 0, −9/9.5, 0
    [10 / 9.5, 0, -9 / 9.5, 0].forEach((z, r) => expect(cell(values, dim, r, 6)).toBeCloseTo(z, 5));
  });

  it('encodes key on the circle, mode one-hot, genre one-hot; products are of scaled values', () => {
    const p = new MusicPreprocessor();
    const { values, dim, columns } = p.fitTransform(catalog());
    const at = (r: number, name: string) => cell(values, dim, r, columns.indexOf(name));
    expect(at(1, 'key_sin')).toBeCloseTo(0, 6); // F# = 6 → (0, −1)
    expect(at(1, 'key_cos')).toBeCloseTo(-1, 6);
    expect([at(3, 'key_sin'), at(3, 'key_cos')]).toEqual([0, 0]); // unknown key
    expect([at(0, 'mode=minor'), at(0, 'mode=major'), at(1, 'mode=minor')]).toEqual([0, 1, 1]);
    expect([at(2, 'genre=pop'), at(3, 'genre=edm'), at(3, 'genre=rock')]).toEqual([1, 1, 0]);
    expect(at(2, 'danceability*valence')).toBeCloseTo(at(2, 'danceability') * at(2, 'valence'), 6);
  });

  it('counts unseen genres and encodes them as zeros', () => {
    const p = new MusicPreprocessor().fit(catalog());
    const out = p.transform(catalog(['pop', 'latin', 'pop', null, 'latin']));
    expect(out.unknownCategories).toBe(1); // item 4 has no audio, so its genre is not looked at
    const g = out.columns.indexOf('genre=edm');
    expect(Array.from(out.values.subarray(out.dim + g, out.dim + g + 3))).toEqual([0, 0, 0]);
  });

  it('adds an L2-normalised tag TF-IDF block when asked', () => {
    const p = new MusicPreprocessor({ tagTfidf: true, tagMinDf: 1 });
    const out = p.fitTransform(catalog());
    expect(p.tagVocabulary).toEqual(['guitar', 'pop']);
    expect(out.tags!.rows).toBe(5);
    expect(Array.from(out.tags!.indptr)).toEqual([0, 2, 3, 4, 4, 5]);
    expect(out.tags!.values[2]).toBeCloseTo(1, 6);
  });

  it('save → load gives an identical transform', async () => {
    for (const config of [{ tagTfidf: true }, { scaling: 'standard' as const, keyEncoding: 'onehot' as const, yearFeatures: 'both' as const, capOutliers: false, subgenreOneHot: true }]) {
      const c = { ...catalog(), subgenres: ['a', 'b', 'a', 'c', null] };
      const p = new MusicPreprocessor(config).fit(c);
      const dir = await tempDir();
      await p.save(dir);
      const back = await MusicPreprocessor.load(dir);
      expect(back.config).toEqual(p.config);
      const a = p.transform(c);
      const b = back.transform(c);
      expect(b.columns).toEqual(a.columns);
      expect(b.values).toEqual(a.values);
      expect(b.tags).toEqual(a.tags);
    }
  });

  it('a catalog without audio gives zero rows with present = 0', () => {
    const c: Catalog = { itemIds: ['a', 'b'], genres: ['pop', 'rock'] };
    const out = new MusicPreprocessor({ yearFeatures: 'none' }).fitTransform(c);
    expect(Array.from(out.present)).toEqual([0, 0]);
    expect(out.values.every((v) => v === 0)).toBe(true);
  });

  it('names what is wrong: unknown options, missing columns, bad key values, a bad saved dir', async () => {
    expect(() => new MusicPreprocessor({ scalling: 'robust' } as never)).toThrow(/unknown option "scalling"/);
    expect(() => new MusicPreprocessor({ scaling: 'minmax' as never })).toThrow(ConfigError);
    expect(() => new MusicPreprocessor({ audioColumns: ['energy', 'tempo'] }).fit(catalog())).toThrow(/audioColumns tempo not in the catalog/);
    expect(() => new MusicPreprocessor().transform(catalog())).toThrow(ModelFitError);
    const p = new MusicPreprocessor().fit(catalog());
    const c = catalog();
    const noValence: Catalog = { ...c, audio: { ...c.audio!, columns: AUDIO.map((n) => (n === 'valence' ? 'mood' : n)) } };
    expect(() => p.transform(noValence)).toThrow(DataError);
    expect(() => p.transform(noValence)).toThrow(/no audio column "valence"/);
    const badKey = catalog();
    (badKey.audio!.values as Float32Array)[2] = 14;
    const err = (() => { try { new MusicPreprocessor().fitTransform(badKey); } catch (e) { return e; } })();
    expect(err).toMatchObject({ field: 'key' });
    const dir = await tempDir();
    await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 1, meta: { kind: 'EASE' }, arrays: {} }));
    await expect(MusicPreprocessor.load(dir)).rejects.toMatchObject({ field: 'meta.kind' });
  });
});
