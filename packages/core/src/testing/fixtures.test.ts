import { describe, expect, it } from 'vitest';
import { checkerboard } from './checkerboard';
import { clusteredInteractions } from './clustered-interactions';
import { perUserHoldout } from './holdout';

describe('checkerboard', () => {
  it('each user has seen every own-group item but the held-out one, and nothing else', () => {
    const { train, heldOut, groupOfUser, groupOfItem } = checkerboard(2, 4, 3);
    expect([train.nUsers, train.nItems]).toEqual([8, 6]);
    for (let u = 0; u < train.nUsers; u++) {
      expect(groupOfItem[heldOut[u]]).toBe(groupOfUser[u]);
      for (let i = 0; i < train.nItems; i++) {
        const expected = groupOfItem[i] === groupOfUser[u] && i !== heldOut[u];
        expect(train.has(u, i)).toBe(expected);
      }
    }
    // users 0 and 2 (group 0, ranks 0 and 1) miss items 0 and 2
    expect(Array.from(heldOut.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });
});

describe('clusteredInteractions', () => {
  it('is a deterministic function of its seed and respects the requested shape', () => {
    const a = clusteredInteractions({ nUsers: 50, nItems: 40, seed: 3 });
    const b = clusteredInteractions({ nUsers: 50, nItems: 40, seed: 3 });
    const c = clusteredInteractions({ nUsers: 50, nItems: 40, seed: 4 });
    expect([a.nUsers, a.nItems]).toEqual([50, 40]);
    expect(a.indices).toEqual(b.indices);
    expect(a.indptr).toEqual(b.indptr);
    expect(a.indices).not.toEqual(c.indices);
    for (let u = 0; u < a.nUsers; u++) expect(a.rowLength(u)).toBeGreaterThanOrEqual(2);
    expect(a.values.every((v) => v === 1)).toBe(true);
  });
});

describe('perUserHoldout', () => {
  it('partitions every row: round(0.2 n) test items (at least 1 when n ≥ 2), the rest train', () => {
    const data = clusteredInteractions({ nUsers: 60, nItems: 50, seed: 5 });
    const { train, test } = perUserHoldout(data, 9);
    for (let u = 0; u < data.nUsers; u++) {
      const n = data.rowLength(u);
      expect(test.rowLength(u)).toBe(Math.max(1, Math.round(0.2 * n)));
      expect(train.rowLength(u) + test.rowLength(u)).toBe(n);
      const merged = [...train.itemsOf(u), ...test.itemsOf(u)].sort((x, y) => x - y);
      expect(merged).toEqual(Array.from(data.itemsOf(u)));
    }
    expect(perUserHoldout(data, 9).test.indices).toEqual(test.indices);
  });
});
