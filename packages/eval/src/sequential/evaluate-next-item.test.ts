import { ConfigError, DataError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { fixedScoreModel } from '../testing/fixtures';
import { evaluateNextItem } from './evaluate-next-item';
import { interactionsFromSequences, interactionsFromTargets } from './sequence-interactions';
import { sequencesOf } from './test-sequences';

const d = (rank: number): number => 1 / Math.log2(rank + 1);

describe('evaluateNextItem', () => {
  // 6 items. u0: input [0, 1], target 3; u1: input [4, 2], target 0;
  // u2: input [1, 3], target 1 (a repeat: excluded, so a miss); u3: no target
  const exclude = sequencesOf([[0, 1], [4, 2], [1, 3], [5]]);
  const testTarget = Int32Array.of(3, 0, 1, -1);
  const model = fixedScoreModel([
    [9, 8, 7, 6, 5, 4], // u0 → 2, 3, 4, 5 (0, 1 excluded): target at rank 2
    [1, 2, 3, 4, 5, 6], // u1 → 5, 3, 1, 0 (2, 4 excluded): target at rank 4
    [0, 9, 0, 0, 0, 0], // u2 → 0, 2, 4, 5: item 1 scores best but is excluded
    [0, 0, 0, 0, 0, 0],
  ]);

  it('ranks all items with the input sequence excluded; hand-computed metrics for 3 users', () => {
    const r = evaluateNextItem(model, { testTarget, exclude, nItems: 6 }, { ks: [1, 3, 5] });
    expect(Array.from(r.users)).toEqual([0, 1, 2]);
    expect(Array.from(r.recs.items.subarray(0, 4))).toEqual([2, 3, 4, 5]);
    expect(Array.from(r.recs.items.subarray(10, 14))).toEqual([5, 3, 1, 0]);
    expect(Array.from(r.recs.items.subarray(20, 24))).toEqual([0, 2, 4, 5]);
    expect(r.ranking.nUsersEvaluated).toBe(3);
    const at1 = r.ranking.perK['1'];
    expect([at1.hitRate, at1.ndcg, at1.mrr]).toEqual([0, 0, 0]);
    const at3 = r.ranking.perK['3'];
    expect(at3.hitRate).toBeCloseTo(1 / 3, 12);
    expect(at3.ndcg).toBeCloseTo(d(2) / 3, 12);
    expect(at3.mrr).toBeCloseTo(1 / 2 / 3, 12);
    expect(at3.precision).toBeCloseTo(1 / 9, 12);
    expect(at3.recall).toBeCloseTo(1 / 3, 12);
    const at5 = r.ranking.perK['5'];
    expect(at5.hitRate).toBeCloseTo(2 / 3, 12);
    expect(at5.ndcg).toBeCloseTo((d(2) + d(4)) / 3, 12);
    expect(at5.mrr).toBeCloseTo((1 / 2 + 1 / 4) / 3, 12);
    expect(at5.map).toBeCloseTo((1 / 2 + 1 / 4) / 3, 12); // one relevant item: AP = 1 / rank
    // 6 distinct items recommended in the top-10 lists? u0 2,3,4,5; u1 5,3,1,0; u2 0,2,4,5 → all 6
    expect(r.beyond.coverage).toBe(1);
  });

  it('rejects targets and sequences of different splits, and targets outside the catalogue', () => {
    expect(() => evaluateNextItem(model, { testTarget: Int32Array.of(1), exclude, nItems: 6 })).toThrow(ConfigError);
    expect(() => evaluateNextItem(model, { testTarget: Int32Array.of(1, 2, 9, -1), exclude, nItems: 6 })).toThrow(DataError);
  });
});

describe('interactionsFromSequences / interactionsFromTargets', () => {
  it('merges repeats into one sorted entry per (user, item), earliest time kept', () => {
    const m = interactionsFromSequences(sequencesOf([[3, 1, 3], []]), ['a', 'b'], ['0', '1', '2', '3']);
    expect(Array.from(m.itemsOf(0))).toEqual([1, 3]);
    expect(Array.from(m.timestamps!)).toEqual([1, 0]);
    expect(m.rowLength(1)).toBe(0);
    expect(() => interactionsFromSequences(sequencesOf([[1]]), ['a', 'b'], ['0', '1'])).toThrow(/1 users but 2 user ids/);
  });

  it('one row entry per user with a target', () => {
    const t = interactionsFromTargets(Int32Array.of(2, -1, 0), ['a', 'b', 'c'], ['0', '1', '2']);
    expect([Array.from(t.itemsOf(0)), Array.from(t.itemsOf(1)), Array.from(t.itemsOf(2))]).toEqual([[2], [], [0]]);
  });
});
