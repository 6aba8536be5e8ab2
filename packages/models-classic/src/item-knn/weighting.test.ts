import { ConfigError, Interactions, ModelFitError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { itemKnnDefaults, resolveItemKnnConfig } from './config';
import { bm25Weight, weightInteractions } from './weighting';

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

// 3 users × 4 items (plays):  u0: i0 = 2, i1 = 1;  u1: i0 = 1, i1 = 3, i2 = 1;  u2: i3 = 4
const plays = Interactions.fromTriples([0, 0, 1, 1, 1, 2], [0, 1, 0, 1, 2, 3], [2, 1, 1, 3, 1, 4], ids(3, 'u'), ids(4, 'i'));

describe('bm25Weight', () => {
  it('matches implicit’s bm25_weight by hand (K1 = 1, B = 0.5)', () => {
    // item row sums 3, 4, 1, 4 (mean 3) → length norms 1, 7/6, 2/3, 7/6
    // idf: u0 ln 4 − ln 3, u1 ln 4 − ln 4 = 0, u2 ln 4 − ln 2
    const w = bm25Weight(plays, 1, 0.5);
    const f = Math.fround;
    expect(Array.from(w.values)).toEqual([
      f((4 / 3) * Math.log(4 / 3)), // 2·2 / (1 + 2)
      f((12 / 13) * Math.log(4 / 3)), // 1·2 / (7/6 + 1)
      0,
      0,
      0,
      f((48 / 31) * Math.log(2)), // 4·2 / (7/6 + 4)
    ]);
    expect(w.indices).toBe(plays.indices);
  });

  it('with B = 0 only the idf and saturation remain', () => {
    const w = bm25Weight(plays, 100, 0);
    expect(w.values[5]).toBeCloseTo(((4 * 101) / (100 + 4)) * Math.log(2), 5);
  });
});

describe('weightInteractions', () => {
  it('binary, log1p and raw values', () => {
    const at = (weighting: 'binary' | 'log' | 'none') => Array.from(weightInteractions(plays, { ...itemKnnDefaults, weighting }).values);
    expect(at('binary')).toEqual([1, 1, 1, 1, 1, 1]);
    expect(at('none')).toEqual([2, 1, 1, 3, 1, 4]);
    expect(at('log')).toEqual([2, 1, 1, 3, 1, 4].map((v) => Math.fround(Math.log1p(v))));
  });

  it('names the user and item whose weight is not finite', () => {
    const bad = Interactions.fromTriples([0, 1], [0, 1], [1, -2], ids(2, 'u'), ids(2, 'i'));
    expect(() => weightInteractions(bad, { ...itemKnnDefaults, weighting: 'log' })).toThrow(ModelFitError);
    expect(() => weightInteractions(bad, { ...itemKnnDefaults, weighting: 'log' })).toThrow(/user u1, item i1 \(value -2\)/);
  });
});

describe('resolveItemKnnConfig', () => {
  it('fills defaults and rejects bad or conflicting options by name', () => {
    expect(resolveItemKnnConfig({ neighbors: 0 })).toEqual({ ...itemKnnDefaults, neighbors: 0 });
    expect(() => resolveItemKnnConfig({ neighbors: -1 })).toThrow(/"neighbors"/);
    expect(() => resolveItemKnnConfig({ neighbors: 2.5 })).toThrow(ConfigError);
    expect(() => resolveItemKnnConfig({ shrinkage: -1 })).toThrow(/"shrinkage"/);
    expect(() => resolveItemKnnConfig({ weighting: 'tfidf' as never })).toThrow(/"weighting"/);
    expect(() => resolveItemKnnConfig({ bm25B: 1.5 })).toThrow(/"bm25B"/);
    expect(() => resolveItemKnnConfig({ shrinkage: 10, normalize: false })).toThrow(/"shrinkage".*"normalize"/);
    expect(() => resolveItemKnnConfig({ neighbours: 5 } as never)).toThrow(/unknown option "neighbours"/);
  });
});
