import { describe, expect, it } from 'vitest';
import { Interactions } from '../interactions';
import { meanNdcgAtK, ndcgOfList, popularityNdcgAtK } from './ranking-quality';

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

describe('ndcgOfList', () => {
  it('matches hand-computed values', () => {
    // hits at ranks 0 and 2, two relevant items: (1 + 1/2) / (1 + 1/log2 3)
    const v = ndcgOfList(Int32Array.from([4, 9, 7]), Int32Array.from([4, 7]), 3);
    expect(v).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
    // one hit at rank 1 of three relevant, k = 2: (1/log2 3) / (1 + 1/log2 3)
    expect(ndcgOfList(Int32Array.from([0, 5]), Int32Array.from([1, 2, 5]), 2)).toBeCloseTo(
      1 / Math.log2(3) / (1 + 1 / Math.log2(3)),
      12,
    );
  });

  it('is 1 for a perfect list, 0 without hits, and ignores empty slots', () => {
    expect(ndcgOfList(Int32Array.from([2, 1, -1]), Int32Array.from([1, 2]), 3)).toBe(1);
    expect(ndcgOfList(Int32Array.from([0, -1]), Int32Array.from([1]), 2)).toBe(0);
    expect(ndcgOfList(Int32Array.from([0]), new Int32Array(0), 1)).toBe(0);
  });
});

describe('meanNdcgAtK / popularityNdcgAtK', () => {
  // 3 users × 4 items; item popularity in train: i0 2, i1 1, i2 1, i3 0
  const train = Interactions.fromTriples([0, 1, 1, 2], [0, 0, 1, 2], null, ids(3, 'u'), ids(4, 'i'));
  const test = Interactions.fromTriples([0, 1], [3, 2], null, ids(3, 'u'), ids(4, 'i'));

  it('averages over users with test items and excludes training items', () => {
    // a scorer preferring higher item indices: u0 ranks 3,2,1 → hit at 0 (1); u1 ranks 3,2 → hit at 1
    const scorer = {
      scoreUsers: (users: Int32Array) => {
        const out = new Float32Array(users.length * 4);
        for (let b = 0; b < users.length; b++) for (let i = 0; i < 4; i++) out[b * 4 + i] = i;
        return out;
      },
    };
    expect(meanNdcgAtK(scorer, train, test, 2)).toBeCloseTo((1 + 1 / Math.log2(3)) / 2, 12);
  });

  it('ranks by training popularity, ties to the lower index', () => {
    // u0 (seen 0): 1, 2 → miss; u1 (seen 0, 1): 2, 3 → hit at rank 0
    expect(popularityNdcgAtK(train, test, 2)).toBeCloseTo(0.5, 12);
  });
});
