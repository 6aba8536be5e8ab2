import { ConfigError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { fixedScoreModel, int32, interactionsFromRows } from '../testing/fixtures';
import { evaluateModel } from './evaluate-model';
import { validationScorer } from './validation-scorer';

const d = (r: number): number => 1 / Math.log2(r + 1);

// 12 items; scores fall with the item index except where noted
const descending = Array.from({ length: 12 }, (_, i) => 12 - i);
const scores = [
  descending, // u0
  descending, // u1
  [...descending].reverse(), // u2 prefers high indices
];
const fullTrain = interactionsFromRows([[0, 1], [], [11]], 12);
const test = interactionsFromRows([[2, 5], [], [0]], 12);

describe('evaluateModel', () => {
  it('ranks all items with training items excluded and scores only users with test items', () => {
    const model = fixedScoreModel(scores);
    const r = evaluateModel(model, { fullTrain, test }, { ks: [1, 5] });
    expect(Array.from(r.users)).toEqual([0, 2]);
    expect(r.recs.k).toBe(10); // at least 10 for beyond-accuracy and per-user NDCG@10
    expect(Array.from(r.recs.items.subarray(0, 5))).toEqual([2, 3, 4, 5, 6]); // 0, 1 seen
    expect(Array.from(r.recs.items.subarray(10, 15))).toEqual([10, 9, 8, 7, 6]); // 11 seen
    // u0 hits at ranks 1 and 4; u2's test item 0 is ranked 11th: a miss
    expect(r.ranking.nUsersEvaluated).toBe(2);
    expect(r.ranking.perK['1'].hitRate).toBe(0.5);
    expect(r.ranking.perK['5'].ndcg).toBeCloseTo((d(1) + d(4)) / (d(1) + d(2)) / 2, 12);
    expect(r.ranking.perK['5'].recall).toBe(0.5);
    expect(r.beyond.coverage).toBe(11 / 12); // u0 recommends 2..11, u2 recommends 10..1: item 0 never
  });

  it('gives the same numbers for any batch size', () => {
    const a = evaluateModel(fixedScoreModel(scores), { fullTrain, test }, { batchSize: 1 });
    const b = evaluateModel(fixedScoreModel(scores), { fullTrain, test }, { batchSize: 512 });
    expect(a.ranking).toEqual(b.ranking);
    expect(a.beyond).toEqual(b.beyond);
  });

  it('scores batches of users, not one call per user', () => {
    const model = fixedScoreModel(scores);
    evaluateModel(model, { fullTrain, test }, { users: int32([0, 1, 2]), batchSize: 2 });
    expect(model.calls).toBe(2);
  });

  it('passes the catalogue through to beyond-accuracy', () => {
    const catalog = {
      itemIds: fullTrain.itemIds,
      artists: Array.from({ length: 12 }, (_, i) => `artist${i % 2}`),
    };
    const r = evaluateModel(fixedScoreModel(scores), { fullTrain, test }, { catalog });
    expect(r.beyond.artistDiversity).toBeCloseTo(2 / 10, 12);
  });

  it('rejects a train and test of different shapes', () => {
    const other = interactionsFromRows([[0]], 5);
    expect(() => evaluateModel(fixedScoreModel(scores), { fullTrain, test: other })).toThrow(ConfigError);
  });
});

describe('validationScorer', () => {
  const train = interactionsFromRows([[0], [0, 1], [], [3]], 6);
  const validation = interactionsFromRows([[1], [], [5], [4]], 6);
  const model = fixedScoreModel(Array.from({ length: 4 }, () => [6, 5, 4, 3, 2, 1]));

  it('is NDCG@k on validation with training items excluded', () => {
    // u0 → [1, 2, 3]: hit at 1; u2 → [0, 1, 2]: miss; u3 → [0, 1, 2]: miss (k = 3)
    expect(validationScorer(train, validation, { k: 3 })(model)).toBeCloseTo(1 / 3, 12);
    // k = 5: u2 → [0..4] misses 5, u3 → [0, 1, 2, 4, 5] hits at rank 4
    expect(validationScorer(train, validation, { k: 5 })(model)).toBeCloseTo((1 + 0 + d(4)) / 3, 12);
  });

  it('samples a fixed subset of users when maxUsers is set', () => {
    const a = validationScorer(train, validation, { k: 3, maxUsers: 1, seed: 4 });
    const b = validationScorer(train, validation, { k: 3, maxUsers: 1, seed: 4 });
    const value = a(model);
    expect(b(model)).toBe(value);
    expect([0, 1]).toContain(value); // one user: a hit (1) or a miss (0)
  });
});
