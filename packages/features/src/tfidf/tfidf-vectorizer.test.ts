import { ConfigError, DataError, ModelFitError } from '@musicrec/core';
import type { ItemTags } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from '../matrix';
import { TfidfVectorizer } from './tfidf-vectorizer';

const docs = [['rock', 'indie', 'rock'], ['rock'], ['jazz']];
// n = 3; df: rock 2, indie 1, jazz 1; smooth idf = ln((1 + n)/(1 + df)) + 1
const idfRock = Math.log(4 / 3) + 1;
const idfRare = Math.log(4 / 2) + 1;

const row = (m: CsrMatrix, r: number) => {
  const out: Record<number, number> = {};
  for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out[m.indices[p]] = m.values[p];
  return out;
};

describe('TfidfVectorizer', () => {
  it('builds a sorted vocabulary with smooth idf and L2-normalised rows', () => {
    const v = new TfidfVectorizer();
    const m = v.fitTransform(docs);
    expect(v.vocabulary).toEqual(['indie', 'jazz', 'rock']);
    expect(Array.from(v.idf)).toEqual([idfRare, idfRare, idfRock]);
    expect(m.rows).toBe(3);
    expect(m.cols).toBe(3);
    const norm = Math.hypot(idfRare, 2 * idfRock);
    const r0 = row(m, 0);
    expect(Object.keys(r0)).toEqual(['0', '2']);
    expect(r0[0]).toBeCloseTo(idfRare / norm, 6);
    expect(r0[2]).toBeCloseTo((2 * idfRock) / norm, 6);
    expect(row(m, 1)).toEqual({ 2: 1 });
    expect(row(m, 2)).toEqual({ 1: 1 });
  });

  it('sublinear tf, unsmoothed idf, no norm', () => {
    const m = new TfidfVectorizer({ sublinearTf: true, smoothIdf: false, norm: 'none' }).fitTransform(docs);
    const r0 = row(m, 0);
    expect(r0[0]).toBeCloseTo(Math.log(3 / 1) + 1, 6);
    expect(r0[2]).toBeCloseTo((1 + Math.log(2)) * (Math.log(3 / 2) + 1), 6);
  });

  it('drops terms below minDf; documents left with no terms are empty rows', () => {
    const v = new TfidfVectorizer({ minDf: 2 });
    const m = v.fitTransform(docs);
    expect(v.vocabulary).toEqual(['rock']);
    expect(Array.from(m.indptr)).toEqual([0, 1, 2, 2]);
    expect(Array.from(m.values)).toEqual([1, 1]);
  });

  it('reads weighted tag counts (ItemTags), ignores unseen terms at transform', () => {
    // item 0: rock×10, indie×1 (listed in that order); item 1: rock×3; item 2: no tags
    const tags: ItemTags = {
      indptr: Int32Array.from([0, 2, 3, 3]),
      tagIndices: Int32Array.from([1, 0, 1]),
      counts: Float32Array.from([10, 1, 3]),
      tagNames: ['indie', 'rock'],
    };
    const v = new TfidfVectorizer({ norm: 'none' }).fit(tags);
    expect(v.vocabulary).toEqual(['indie', 'rock']);
    expect(v.idf[1]).toBeCloseTo(idfRock, 12); // df 2 of n 3
    const m = v.transform(tags);
    expect(Array.from(m.indices)).toEqual([0, 1, 1]); // ascending within the row
    expect(m.values[0]).toBeCloseTo(idfRare, 6);
    expect(m.values[1]).toBeCloseTo(10 * idfRock, 5);
    expect(Array.from(m.indptr)).toEqual([0, 2, 3, 3]);
    const other = v.transform([['rock', 'polka']]);
    expect(Array.from(other.indices)).toEqual([1]);
  });

  it('round-trips through its state', () => {
    const v = new TfidfVectorizer({ sublinearTf: true }).fit(docs);
    const back = TfidfVectorizer.fromState(v.toState());
    expect(back.transform(docs)).toEqual(v.transform(docs));
  });

  it('rejects bad options, bad weighted input, and use before fit', () => {
    expect(() => new TfidfVectorizer({ minDf: 0 })).toThrow(ConfigError);
    expect(() => new TfidfVectorizer({ norm: 'l1' as never })).toThrow(/norm/);
    expect(() => new TfidfVectorizer().transform(docs)).toThrow(ModelFitError);
    const bad: ItemTags = { indptr: Int32Array.from([0, 1]), tagIndices: Int32Array.from([5]), counts: Float32Array.from([1]), tagNames: ['a'] };
    const err = (() => { try { new TfidfVectorizer().fit(bad); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ field: 'tagIndices' });
    expect((err as Error).message).toMatch(/document 0 has tag index 5/);
  });
});
