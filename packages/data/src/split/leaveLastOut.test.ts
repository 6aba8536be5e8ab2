import { describe, expect, it } from 'vitest';
import { DataError, Interactions } from '@musicrec/core';
import type { Sequences } from '@musicrec/core';
import { leaveLastOutSequences, leaveLastOutSplit } from './leaveLastOut';
import { entries, matrixWithRowSizes, rowsSortedUnique } from './testMatrices';

const userIds = ['a', 'b', 'c', 'd'];
const itemIds = ['i0', 'i1', 'i2', 'i3', 'i4'];

describe('leaveLastOutSplit', () => {
  // a: i3@5, i0@9, i4@2, i1@7 → latest i0 (test), then i1 (validation)
  // b: i2@4, i1@4, i0@1 → tie at 4 broken by item index: i2 is latest (test), i1 validation
  // c: i4@3, i2@8 → 2 interactions: i2 test, i4 train, no validation
  // d: i1@6 → stays in train
  const data = Interactions.fromTriples(
    [0, 0, 0, 0, 1, 1, 1, 2, 2, 3],
    [3, 0, 4, 1, 2, 1, 0, 4, 2, 1],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    userIds,
    itemIds,
    [5, 9, 2, 7, 4, 4, 1, 3, 8, 6],
  );
  const split = leaveLastOutSplit(data, { seed: 3 });

  it('puts the latest interaction in test and the one before in validation', () => {
    expect(Array.from(split.test.itemsOf(0))).toEqual([0]);
    expect(Array.from(split.validation.itemsOf(0))).toEqual([1]);
    expect(Array.from(split.train.itemsOf(0))).toEqual([3, 4]);
    expect(Array.from(split.test.itemsOf(1))).toEqual([2]);
    expect(Array.from(split.validation.itemsOf(1))).toEqual([1]);
    expect(Array.from(split.train.itemsOf(1))).toEqual([0]);
  });

  it('users with fewer than 3 interactions: last in test when n = 2, everything in train when n = 1', () => {
    expect(Array.from(split.test.itemsOf(2))).toEqual([2]);
    expect(split.validation.rowLength(2)).toBe(0);
    expect(Array.from(split.train.itemsOf(2))).toEqual([4]);
    expect(Array.from(split.train.itemsOf(3))).toEqual([1]);
    expect(split.test.rowLength(3) + split.validation.rowLength(3)).toBe(0);
  });

  it('keeps values and timestamps and partitions exactly', () => {
    expect(Array.from(split.test.values)).toEqual([2, 5, 9]);
    expect(Array.from(split.test.timestamps!)).toEqual([9, 4, 8]);
    expect([...entries(split.train), ...entries(split.validation), ...entries(split.test)].sort()).toEqual(
      entries(data).sort(),
    );
    expect(entries(split.fullTrain).sort()).toEqual([...entries(split.train), ...entries(split.validation)].sort());
    expect(split.protocol).toBe('leave-last-out');
    expect(split.seed).toBe(3);
  });

  it('on a larger matrix every test item is the user maximum of (time, item)', () => {
    const big = matrixWithRowSizes(Array.from({ length: 30 }, (_, u) => 1 + (u % 9)), 50);
    const s = leaveLastOutSplit(big, { seed: 1 });
    for (let u = 0; u < big.nUsers; u++) {
      const n = big.rowLength(u);
      let latest = -1;
      let latestTime = -Infinity;
      for (let k = big.indptr[u]; k < big.indptr[u + 1]; k++) {
        if (big.timestamps![k] >= latestTime) {
          latestTime = big.timestamps![k];
          latest = big.indices[k];
        }
      }
      expect(s.test.rowLength(u)).toBe(n >= 2 ? 1 : 0);
      expect(s.validation.rowLength(u)).toBe(n >= 3 ? 1 : 0);
      if (n >= 2) expect(s.test.itemsOf(u)[0]).toBe(latest);
      expect(rowsSortedUnique(s.train)).toBe(true);
    }
  });

  it('names the missing field when the matrix has no timestamps', () => {
    const untimed = Interactions.fromTriples([0, 0], [0, 1], null, ['a'], ['x', 'y']);
    expect(() => leaveLastOutSplit(untimed, { seed: 1 })).toThrow(DataError);
    expect(() => leaveLastOutSplit(untimed, { seed: 1 })).toThrow(/field "timestamps".*needs interaction timestamps/);
  });
});

describe('leaveLastOutSequences', () => {
  // user 0: 5 events, user 1: 2 events, user 2: 1 event, user 3: none
  const sequences: Sequences = {
    indptr: Int32Array.from([0, 5, 7, 8, 8]),
    items: Int32Array.from([4, 2, 4, 1, 3, 0, 6, 5]),
    timestamps: Float64Array.from([1, 2, 3, 4, 5, 10, 11, 20]),
  };
  const s = leaveLastOutSequences(sequences);

  it('keeps all but the last two for training and returns both targets', () => {
    expect(Array.from(s.testTarget)).toEqual([3, 6, -1, -1]);
    expect(Array.from(s.validationTarget)).toEqual([1, -1, -1, -1]);
    expect(Array.from(s.train.indptr)).toEqual([0, 3, 4, 5, 5]);
    expect(Array.from(s.train.items)).toEqual([4, 2, 4, 0, 5]);
    expect(Array.from(s.train.timestamps)).toEqual([1, 2, 3, 10, 20]);
  });

  it('fullTrain keeps all but the last (the input for predicting the test target)', () => {
    expect(Array.from(s.fullTrain.indptr)).toEqual([0, 4, 5, 6, 6]);
    expect(Array.from(s.fullTrain.items)).toEqual([4, 2, 4, 1, 0, 5]);
  });
});
