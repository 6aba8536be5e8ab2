import { ConfigError, DataError, ModelFitError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { encodeKey, encodeMode } from './key-mode';
import { LabelEncoder } from './label-encoder';
import { OneHotEncoder } from './one-hot-encoder';
import { productFeatures } from './products';
import { ReleaseYearEncoder } from './release-year';

describe('LabelEncoder', () => {
  it('codes classes in sorted order, -1 for unseen and missing, counted separately', () => {
    const e = new LabelEncoder().fit(['rock', 'pop', null, 'edm', 'pop']);
    expect(e.classes).toEqual(['edm', 'pop', 'rock']);
    const t = e.transform(['pop', 'jazz', null, 'edm']);
    expect(Array.from(t.codes)).toEqual([1, -1, -1, 0]);
    expect(t.unknown).toBe(1);
    expect(t.missing).toBe(1);
    expect(e.inverseTransform(t.codes)).toEqual(['pop', null, null, 'edm']);
    expect(LabelEncoder.fromState(e.toState()).transform(['rock']).codes[0]).toBe(2);
    expect(() => new LabelEncoder().transform(['x'])).toThrow(ModelFitError);
  });
});

describe('OneHotEncoder', () => {
  it('one column per category; unseen → all zeros, counted', () => {
    const e = new OneHotEncoder({ prefix: 'genre' }).fit(['rock', 'pop', 'rock']);
    const { matrix, unknown, missing } = e.transform(['pop', 'jazz', 'rock', null]);
    expect(matrix.columns).toEqual(['genre=pop', 'genre=rock']);
    expect(Array.from(matrix.values)).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
    expect(unknown).toBe(1);
    expect(missing).toBe(1);
  });

  it('drops categories rarer than minFrequency, and round-trips through its state', () => {
    const e = new OneHotEncoder({ minFrequency: 2 }).fit(['a', 'b', 'b', 'c', 'c', 'c']);
    expect(e.categories).toEqual(['b', 'c']);
    expect(e.transform(['a']).unknown).toBe(1);
    const back = OneHotEncoder.fromState(e.toState());
    expect(back.columns).toEqual(['category=b', 'category=c']);
    expect(back.transform(['c', 'b']).matrix.values).toEqual(Float32Array.from([0, 1, 1, 0]));
    expect(() => new OneHotEncoder({ minFrequency: 0 })).toThrow(ConfigError);
  });
});

describe('key and mode', () => {
  it('puts keys on the circle: C = (0, 1), F# = (0, −1), A = (−1, 0), unknown = (0, 0)', () => {
    const m = encodeKey([0, 6, 9, -1, NaN], 'cyclical');
    expect(m.columns).toEqual(['key_sin', 'key_cos']);
    const expected = [0, 1, 0, -1, -1, 0, 0, 0, 0, 0];
    Array.from(m.values).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // B (11) and C (0) are as close as C and C# (1)
    const bc = encodeKey([11, 0, 1], 'cyclical').values;
    const d = (a: number, b: number) => Math.hypot(bc[2 * a] - bc[2 * b], bc[2 * a + 1] - bc[2 * b + 1]);
    expect(d(0, 1)).toBeCloseTo(d(1, 2), 6);
  });

  it('one-hot keys: 12 columns, unknown → zeros', () => {
    const m = encodeKey([2, -1], 'onehot');
    expect(m.cols).toBe(12);
    expect(m.columns![2]).toBe('key=D');
    expect(Array.from(m.values)).toEqual([0, 0, 1, ...new Array(9).fill(0), ...new Array(12).fill(0)]);
  });

  it('names the field and row of an invalid key or mode', () => {
    expect(() => encodeKey([3, 12], 'cyclical')).toThrow(DataError);
    expect(() => encodeKey([3, 2.5], 'onehot')).toThrow(/got 2.5 in row 1/);
    const err = (() => { try { encodeMode([1, 2]); } catch (e) { return e; } })();
    expect(err).toMatchObject({ field: 'mode' });
    expect((err as Error).message).toMatch(/row 1/);
  });

  it('one-hot mode: minor, major; missing → zeros', () => {
    const m = encodeMode([1, 0, NaN]);
    expect(m.columns).toEqual(['mode=minor', 'mode=major']);
    expect(Array.from(m.values)).toEqual([0, 1, 1, 0, 0, 0]);
  });
});

describe('ReleaseYearEncoder', () => {
  it('stores the latest fitted year as the reference and gives year and age', () => {
    const e = new ReleaseYearEncoder().fit([1999, NaN, 2019, 2010]);
    expect(e.referenceYear).toBe(2019);
    const m = e.transform([1999, NaN, 2019]);
    expect(m.columns).toEqual(['release_year', 'age_years']);
    expect(Array.from(m.values.subarray(0, 2))).toEqual([1999, 20]);
    expect(Number.isNaN(m.values[2]) && Number.isNaN(m.values[3])).toBe(true);
    expect(Array.from(m.values.subarray(4))).toEqual([2019, 0]);
  });

  it('uses a configured reference year, and age-only output', () => {
    const e = new ReleaseYearEncoder({ output: 'age', referenceYear: 2020 }).fit([1990]);
    expect(Array.from(e.transform([1990, 2020]).values)).toEqual([30, 0]);
    expect(() => new ReleaseYearEncoder({ output: 'decade' as never })).toThrow(ConfigError);
    expect(() => new ReleaseYearEncoder().fit([NaN])).toThrow(/no release year/);
  });
});

describe('productFeatures', () => {
  it('multiplies the named columns row by row', () => {
    const m = { rows: 2, cols: 3, columns: ['energy', 'loudness', 'x'], values: Float32Array.from([1, -2, 9, 0.5, 4, 9]) };
    const p = productFeatures(m, [['energy', 'loudness'], ['x', 'energy']]);
    expect(p.columns).toEqual(['energy*loudness', 'x*energy']);
    expect(Array.from(p.values)).toEqual([-2, 9, 2, 4.5]);
    expect(() => productFeatures(m, [['energy', 'valence']])).toThrow(/no column "valence"/);
  });
});
