import { recommendTopK } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { interactionsFromRows } from '../testing/fixtures';
import { coldItemMask, warmItemsView } from './warm-items';

describe('warmItemsView', () => {
  // items 0–2 have training interactions, item 3 has none (cold) and is u0's and u1's test item
  const fullTrain = interactionsFromRows([[0], [1, 2], [0, 1]], 4);
  const test = interactionsFromRows([[2, 3], [3], [2]], 4);
  const scores = [
    [0.95, 0.8, 0.7, 0.9],
    [0.1, 0.99, 0.5, 0.9],
    [0.2, 0.3, 0.4, 0.9],
  ];
  const model = {
    scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
      const o = out ?? new Float32Array(users.length * 4);
      users.forEach((u, b) => o.set(scores[u], b * 4));
      return o;
    },
  };

  it('takes cold items out of the ranking and the relevant set, and measures their share (hand-computed)', () => {
    const users = Int32Array.of(0, 1, 2);
    const recs = recommendTopK(model, users, 4, 20, { exclude: fullTrain });
    const view = warmItemsView(model, { fullTrain, test }, recs);
    expect(view.coldItems).toBe(1);
    expect(view.coldTestShare).toBe(2 / 4);
    // full lists: u0 [3, 1, 2], u1 [3, 0], u2 [3, 2]: the cold item fills 3 of the 3 × 10 slots
    expect(view.coldShareOfTop10).toBeCloseTo(3 / 30, 12);
    // warm: u1 has no warm test item; u0 ranks [1, 2] (hit at rank 2), u2 ranks [2] (hit at rank 1)
    expect(view.users).toBe(2);
    expect(view.ndcg10).toBeCloseTo((1 / Math.log2(3) + 1) / 2, 12);
    expect(view.hitRate10).toBe(1);
    expect(view.recall20).toBe(1);
  });

  it('coldItemMask marks exactly the items without a training interaction', () => {
    expect(Array.from(coldItemMask(fullTrain))).toEqual([0, 0, 0, 1]);
  });
});
