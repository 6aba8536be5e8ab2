import { Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { sequencesOf } from './test-sequences';
import { epochBatches, trainingWindows } from './windows';

describe('trainingWindows', () => {
  it('cuts each sequence from its end into windows of at most maxLen targets', () => {
    // u0 has 6 events → targets at positions 1..5: windows (end 6, 3 targets) and (end 3, 2 targets)
    // u1 has 1 event → nothing to predict; u2 has 2 events → one target
    const w = trainingWindows(sequencesOf([[0, 1, 2, 3, 4, 5], [7], [3, 4]]), 3);
    expect(Array.from(w.users)).toEqual([0, 0, 2]);
    expect(Array.from(w.ends)).toEqual([6, 3, 2]);
    expect(Array.from(w.lengths)).toEqual([3, 2, 1]);
  });

  it('keeps only the most recent windows of each user with windowsPerUser', () => {
    // u0 has 8 events → targets at positions 1..7; maxLen 3: windows end 8 (3), 5 (3), 2 (1)
    const sequences = sequencesOf([[0, 1, 2, 3, 4, 5, 6, 7], [7], [3, 4]]);
    const one = trainingWindows(sequences, 3, 1);
    expect([Array.from(one.users), Array.from(one.ends), Array.from(one.lengths)]).toEqual([[0, 2], [8, 2], [3, 1]]);
    const two = trainingWindows(sequences, 3, 2);
    expect([Array.from(two.users), Array.from(two.ends), Array.from(two.lengths)]).toEqual([[0, 0, 2], [8, 5, 2], [3, 3, 1]]);
    // three windows of 3 cover all 7 targets, as with no limit
    expect(Array.from(trainingWindows(sequences, 3, 3).lengths)).toEqual(Array.from(trainingWindows(sequences, 3).lengths));
  });
});

describe('epochBatches', () => {
  const sequences = sequencesOf([[0, 1, 2, 3, 4, 5], [7], [3, 4]]);
  const windows = trainingWindows(sequences, 3);

  it('left-pads shifted inputs and targets as ids (item + 1), negatives outside the user’s items', () => {
    const batches = [...epochBatches(sequences, windows, 10, 8, new Rng(1))];
    expect(batches).toHaveLength(1);
    const b = batches[0];
    expect([b.rows, b.length]).toEqual([3, 3]);
    const rowOf = (inputs: number[]): number => {
      for (let r = 0; r < b.rows; r++) if (Array.from(b.inputs.subarray(r * 3, r * 3 + 3)).join() === inputs.join()) return r;
      throw new Error(`no row with inputs ${inputs}`);
    };
    // window (u0, end 6): inputs items 2,3,4 → ids 3,4,5; targets items 3,4,5 → ids 4,5,6
    const r0 = rowOf([3, 4, 5]);
    expect(Array.from(b.positives.subarray(r0 * 3, r0 * 3 + 3))).toEqual([4, 5, 6]);
    // window (u0, end 3): inputs items 0,1 → ids 1,2 after one pad
    const r1 = rowOf([0, 1, 2]);
    expect(Array.from(b.positives.subarray(r1 * 3, r1 * 3 + 3))).toEqual([0, 2, 3]);
    expect(b.negatives[r1 * 3]).toBe(0); // no target, no negative
    // window (u2, end 2): input item 3 → id 4, target item 4 → id 5
    const r2 = rowOf([0, 0, 4]);
    expect(Array.from(b.positives.subarray(r2 * 3, r2 * 3 + 3))).toEqual([0, 0, 5]);
    for (const [r, userItems] of [[r0, [0, 1, 2, 3, 4, 5]], [r1, [0, 1, 2, 3, 4, 5]], [r2, [3, 4]]] as const) {
      for (let j = 0; j < 3; j++) {
        const neg = b.negatives[r * 3 + j];
        if (b.positives[r * 3 + j] === 0) continue;
        expect(neg).toBeGreaterThan(0);
        expect(userItems).not.toContain(neg - 1);
      }
    }
  });

  it('same seed, same batches; batches never exceed batchSize rows and group windows of equal length', () => {
    const a = [...epochBatches(sequences, windows, 10, 2, new Rng(5))];
    const b = [...epochBatches(sequences, windows, 10, 2, new Rng(5))];
    expect(a).toEqual(b);
    expect(a.map((x) => x.rows).sort()).toEqual([1, 2]);
    // lengths 1, 2, 3 sorted into batches {1, 2} (padded to 2) and {3}
    expect(a.map((x) => x.length).sort()).toEqual([2, 3]);
    expect(a.reduce((n, x) => n + x.targets, 0)).toBe(6);
  });

  it('carries shared negatives (ids 1..nItems) only when asked for', () => {
    const [withShared] = [...epochBatches(sequences, windows, 10, 8, new Rng(2), 5)];
    expect(withShared.sharedNegatives).toHaveLength(5);
    for (const id of withShared.sharedNegatives) expect(id >= 1 && id <= 10).toBe(true);
    const [without] = [...epochBatches(sequences, windows, 10, 8, new Rng(2))];
    expect(without.sharedNegatives).toHaveLength(0);
  });
});
