import { ConfigError, DataError } from '@musicrec/core';
import type { Catalog } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { int32, interactionsFromRows, listsToTopK } from '../testing/fixtures';
import { beyondAccuracy } from './beyond-accuracy';

const cos = (a: number[], b: number[]): number => {
  const dot = a.reduce((s, x, j) => s + x * b[j], 0);
  return dot / Math.hypot(...a) / Math.hypot(...b);
};

// 4 training users over 5 items: item counts [3, 1, 0, 2, 1]
const train = interactionsFromRows([[0, 3], [0, 1], [0, 3, 4], []], 5);
const users = int32([0, 1, 2]);

describe('beyondAccuracy: coverage and novelty', () => {
  const recs = listsToTopK([[1, 2], [2, 4], [1, -1]], 3);
  const b = beyondAccuracy(recs, users, { train }, 2);

  it('coverage counts distinct recommended items over the catalogue', () => {
    expect(b.coverage).toBe(3 / 5); // items 1, 2, 4
  });

  it('novelty is the mean self-information over every recommended slot', () => {
    const info = (count: number): number => -Math.log2((count + 1) / (4 + 1));
    // slots: 1, 2, 2, 4, 1 (the -1 slot is skipped)
    const want = (info(1) + info(0) + info(0) + info(1) + info(1)) / 5;
    expect(b.novelty).toBeCloseTo(want, 12);
  });

  it('is null where there is nothing to measure with', () => {
    expect(b.ils).toBeNull();
    expect(b.artistDiversity).toBeNull();
    expect(b.genreDiversity).toBeNull();
  });

  it('only looks at the first k slots', () => {
    const b1 = beyondAccuracy(recs, users, { train }, 1);
    expect(b1.coverage).toBe(2 / 5); // items 1, 2
  });
});

describe('beyondAccuracy: intra-list similarity', () => {
  it('uses item vectors when given, skipping pairs with a missing vector', () => {
    // item 3 is the zero vector: no direction, so its pairs are skipped
    const values = Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0, -1, 0]);
    const recs = listsToTopK([[0, 1, 2], [0, 3, 4], [3]], 3);
    const b = beyondAccuracy(recs, users, { train, itemVectors: { dim: 2, values } }, 3);
    // list 1: cos(0,1)=0, cos(0,2)=cos(1,2)=1/√2; list 2: only (0,4) = −1; list 3 has no pair
    expect(b.ils).toBeCloseTo((Math.SQRT2 / 3 + -1) / 2, 6);
    expect(b.ilsSource).toBe('itemVectors');
  });

  it('falls back to z-scored audio features over the items that have a profile', () => {
    const catalog: Catalog = {
      itemIds: ['a', 'b', 'c', 'd', 'e'],
      audio: {
        columns: ['energy', 'tempo'],
        // item 2 has no profile (its numbers must not shift the column statistics), item 4 neither
        values: Float32Array.from([1, 1, 3, 2, 100, 9, 5, 4, 0, 0]),
        present: Uint8Array.from([1, 1, 0, 1, 0]),
      },
    };
    // energy over {0,1,3} = 1,3,5 → mean 3, std √(8/3); tempo = 1,2,4 → mean 7/3, std √14/3
    const za = (x: number): number => (x - 3) / Math.sqrt(8 / 3);
    const zb = (x: number): number => (x - 7 / 3) / (Math.sqrt(14) / 3);
    const v0 = [za(1), zb(1)];
    const v1 = [za(3), zb(2)];
    const v3 = [za(5), zb(4)];
    const recs = listsToTopK([[0, 1, 3], [2, 0]], 3);
    const b = beyondAccuracy(recs, int32([0, 1]), { train, catalog }, 3);
    expect(b.ilsSource).toBe('audio');
    // list 2 pairs an absent item: skipped entirely
    expect(b.ils).toBeCloseTo((cos(v0, v1) + cos(v0, v3) + cos(v1, v3)) / 3, 5);
  });

  it('falls back to TF-IDF over tags, with rows given in any tag order', () => {
    const catalog: Catalog = {
      itemIds: ['a', 'b', 'c', 'd', 'e'],
      tags: {
        // item 0: t1×1, t0×2 (unsorted); item 1: t1; item 2: t2×3, t0; items 3, 4: untagged
        indptr: Int32Array.from([0, 2, 3, 5, 5, 5]),
        tagIndices: Int32Array.from([1, 0, 1, 2, 0]),
        counts: Float32Array.from([1, 2, 1, 3, 1]),
        tagNames: ['rock', 'indie', 'jazz'],
      },
    };
    const a = Math.log(6 / 3) + 1; // idf of t0 and t1: ln((1 + N) / (1 + df)) + 1 with N = 5, df = 2
    const c = Math.log(6 / 2) + 1; // idf of t2 (df = 1)
    const v0 = [2 * a, a, 0];
    const v1 = [0, a, 0];
    const v2 = [a, 0, 3 * c];
    const recs = listsToTopK([[0, 1, 2, 3]], 4);
    const b = beyondAccuracy(recs, int32([0]), { train, catalog }, 4);
    expect(b.ilsSource).toBe('tags');
    expect(b.ils).toBeCloseTo((cos(v0, v1) + cos(v0, v2) + cos(v1, v2)) / 3, 6);
  });

  it('similar lists score higher than dissimilar ones, and ILS stays in [-1, 1]', () => {
    const values = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, -1, 0.2, 0.5, 0.5]);
    const close = beyondAccuracy(listsToTopK([[0, 1]], 2), int32([0]), { train, itemVectors: { dim: 2, values } }, 2);
    const far = beyondAccuracy(listsToTopK([[0, 3]], 2), int32([0]), { train, itemVectors: { dim: 2, values } }, 2);
    expect(close.ils!).toBeGreaterThan(far.ils!);
    expect(close.ils!).toBeLessThanOrEqual(1 + 1e-6);
    expect(far.ils!).toBeGreaterThanOrEqual(-1 - 1e-6);
  });
});

describe('beyondAccuracy: artist and genre diversity', () => {
  const catalog: Catalog = {
    itemIds: ['a', 'b', 'c', 'd', 'e'],
    artists: ['A', 'A', 'B', null, 'C'],
    genres: ['pop', 'pop', 'pop', 'rock', 'rock'],
  };

  it('is distinct labels over the items with a known label, averaged over lists', () => {
    const recs = listsToTopK([[0, 1, 2], [0, 3, 4], [3]], 3);
    const b = beyondAccuracy(recs, users, { train, catalog }, 3);
    // artists: list 1 = {A, B} of 3; list 2 = {A, C} of 2 known; list 3 has no known artist (skipped)
    expect(b.artistDiversity).toBeCloseTo((2 / 3 + 2 / 2) / 2, 12);
    // genres: {pop} of 3; {pop, rock} of 3; {rock} of 1
    expect(b.genreDiversity).toBeCloseTo((1 / 3 + 2 / 3 + 1) / 3, 12);
  });
});

describe('beyondAccuracy: bad input', () => {
  it('rejects a catalogue of the wrong size and out-of-range items', () => {
    const recs = listsToTopK([[0]], 2);
    expect(() => beyondAccuracy(recs, int32([0]), { train, catalog: { itemIds: ['a'] } }, 2)).toThrow(DataError);
    expect(() => beyondAccuracy(listsToTopK([[7]], 2), int32([0]), { train }, 2)).toThrow(/item index 7/);
    expect(() => beyondAccuracy(recs, int32([0]), { train }, 3)).toThrow(ConfigError);
    expect(() =>
      beyondAccuracy(recs, int32([0]), { train, itemVectors: { dim: 3, values: new Float32Array(5) } }, 2),
    ).toThrow(/nItems × dim/);
  });
});
