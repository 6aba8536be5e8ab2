import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { IdIndex, Interactions } from './interactions';

const users = ['a', 'b', 'c'];
const items = ['x', 'y', 'z', 'w'];

describe('Interactions', () => {
  const m = Interactions.fromTriples([1, 0, 0, 2, 0], [3, 2, 0, 1, 2], [5, 1, 2, 4, 3], users, items, [50, 10, 20, 40, 5]);

  it('builds sorted CSR rows and merges duplicates (sum values, earliest time)', () => {
    expect(Array.from(m.indptr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(m.indices)).toEqual([0, 2, 3, 1]);
    expect(Array.from(m.values)).toEqual([2, 4, 5, 4]);
    expect(Array.from(m.timestamps!)).toEqual([20, 5, 50, 40]);
    expect(m.nnz).toBe(4);
    expect(m.density).toBeCloseTo(4 / 12);
  });

  it('answers membership, counts and transposes', () => {
    expect(m.has(0, 2)).toBe(true);
    expect(m.has(0, 1)).toBe(false);
    expect(Array.from(m.itemCounts())).toEqual([1, 1, 1, 1]);
    expect(Array.from(m.userCounts())).toEqual([2, 1, 1]);
    const t = m.transpose();
    expect(t.nUsers).toBe(4);
    expect(Array.from(t.indptr)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(t.indices)).toEqual([0, 2, 0, 1]);
    expect(Array.from(t.transpose().indices)).toEqual(Array.from(m.indices));
  });

  it('binarizes, maps and filters', () => {
    expect(Array.from(m.binarize().values)).toEqual([1, 1, 1, 1]);
    expect(Array.from(m.mapValues((v) => v * 2).values)).toEqual([4, 8, 10, 8]);
    const f = m.filterEntries((u) => u !== 0);
    expect(Array.from(f.indptr)).toEqual([0, 0, 1, 2]);
  });

  it('rejects out-of-range ids with a DataError', () => {
    expect(() => Interactions.fromTriples([3], [0], null, users, items)).toThrow(DataError);
    expect(() => Interactions.fromTriples([0], [9], null, users, items)).toThrow(/item index 9/);
  });
});

describe('IdIndex', () => {
  it('assigns dense ids in order of first appearance', () => {
    const ix = new IdIndex();
    expect([ix.add('q'), ix.add('r'), ix.add('q')]).toEqual([0, 1, 0]);
    expect(ix.get('r')).toBe(1);
    expect(ix.get('s')).toBeUndefined();
    expect(ix.size).toBe(2);
  });
});
