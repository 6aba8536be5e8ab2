import { describe, expect, it } from 'vitest';
import { DataError, Interactions } from '@musicrec/core';
import { padSequences, sequencesFromInteractions } from './sequences';
import { leaveLastOutSequences, leaveLastOutSplit } from './split';

describe('sequencesFromInteractions', () => {
  // user 0: i3@30, i0@10, i2@20 → 0, 2, 3; user 1: i1@5, i4@5, i2@1 → 2, then the tie 1, 4 by index
  const data = Interactions.fromTriples(
    [0, 0, 0, 1, 1, 1],
    [3, 0, 2, 4, 1, 2],
    null,
    ['a', 'b', 'c'],
    ['i0', 'i1', 'i2', 'i3', 'i4'],
    [30, 10, 20, 5, 5, 1],
  );
  const seq = sequencesFromInteractions(data);

  it('orders each user by time, then by item index', () => {
    expect(Array.from(seq.indptr)).toEqual([0, 3, 6, 6]);
    expect(Array.from(seq.items)).toEqual([0, 2, 3, 2, 1, 4]);
    expect(Array.from(seq.timestamps)).toEqual([10, 20, 30, 1, 5, 5]);
  });

  it('agrees with leave-last-out on the interactions: the last event is the test item', () => {
    const split = leaveLastOutSplit(data, { seed: 0 });
    const seqSplit = leaveLastOutSequences(seq);
    for (let u = 0; u < data.nUsers; u++) {
      const test = split.test.itemsOf(u);
      expect(seqSplit.testTarget[u]).toBe(test.length ? test[0] : -1);
      const val = split.validation.itemsOf(u);
      expect(seqSplit.validationTarget[u]).toBe(val.length ? val[0] : -1);
    }
  });

  it('needs timestamps', () => {
    const untimed = Interactions.fromTriples([0], [0], null, ['a'], ['x']);
    expect(() => sequencesFromInteractions(untimed)).toThrow(DataError);
  });
});

describe('padSequences', () => {
  const seq = {
    indptr: Int32Array.from([0, 5, 6, 6]),
    items: Int32Array.from([7, 8, 9, 10, 11, 4]),
    timestamps: Float64Array.from([1, 2, 3, 4, 5, 6]),
  };

  it('left-pads with -1, keeps the most recent maxLen items, most recent last', () => {
    const out = padSequences(seq, Int32Array.from([0, 1, 2, 0]), 3);
    expect(Array.from(out)).toEqual([9, 10, 11, -1, -1, 4, -1, -1, -1, 9, 10, 11]);
  });

  it('rejects a bad length or user', () => {
    expect(() => padSequences(seq, Int32Array.from([0]), 0)).toThrow(/maxLen/);
    expect(() => padSequences(seq, Int32Array.from([3]), 2)).toThrow(/user index 3 out of range/);
  });
});
