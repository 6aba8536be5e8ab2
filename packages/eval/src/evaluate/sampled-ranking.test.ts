import { ConfigError, Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { fixedScoreModel, int32, interactionsFromRows } from '../testing/fixtures';
import { evaluateSampledRanking, sampleNegatives } from './sampled-ranking';

describe('evaluateSampledRanking', () => {
  // 6 items; u0 trained on 0, test item 3; u1 trained on 5, test item 1; u2 has no test item
  const fullTrain = interactionsFromRows([[0], [5], [2]], 6);
  const test = interactionsFromRows([[3], [1], []], 6);
  const model = fixedScoreModel([
    [9, 0.9, 0.1, 0.5, 0.7, 0.2], // u0: negatives {1,2,4,5}; 0.9 and 0.7 beat 0.5 → rank 3
    [0, 0.4, 0.4, 0.1, 0.4, 9], // u1: negatives {0,2,3,4}; 2 and 4 tie at 0.4 but have higher indices → rank 1
    [0, 0, 0, 0, 0, 0],
  ]);

  it('ranks each test item among the negatives (all of them when fewer than asked for)', () => {
    const r = evaluateSampledRanking(model, { fullTrain, test }, { seed: 1, ks: [1, 3, 5] });
    expect(r.nUsersEvaluated).toBe(2);
    expect(r.perK['1']).toEqual({ hitRate: 0.5, ndcg: 0.5, precision: 0.5, recall: 0.5, map: 0.5, mrr: 0.5, f1: 0.5 });
    const m3 = r.perK['3'];
    expect(m3.hitRate).toBe(1);
    expect(m3.ndcg).toBeCloseTo((1 / Math.log2(4) + 1) / 2, 12);
    expect(m3.mrr).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(m3.precision).toBeCloseTo(1 / 3, 12);
    expect(m3.f1).toBeCloseTo((2 * (1 / 3)) / (1 / 3 + 1), 12);
  });

  it('a lower-index negative with the same score ranks above the target', () => {
    const tie = fixedScoreModel([[0, 0.5, 0.1, 0.5, 0.1, 0.1], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]);
    const r = evaluateSampledRanking(tie, { fullTrain, test }, { seed: 1, ks: [1], users: int32([0]) });
    expect(r.perK['1'].hitRate).toBe(0); // item 1 ties with target 3 and wins on index
  });

  it('rejects bad settings', () => {
    expect(() => evaluateSampledRanking(model, { fullTrain, test }, { seed: 1, negatives: 0 })).toThrow(ConfigError);
  });
});

describe('sampleNegatives', () => {
  it('draws distinct items outside train and test, reproducibly', () => {
    const train = interactionsFromRows([[0, 1, 2, 3]], 40);
    const test = interactionsFromRows([[4, 5]], 40);
    const draw = (seed: number): number[] => {
      const out = new Int32Array(10);
      const n = sampleNegatives(new Rng(seed), 0, train, test, out, new Int32Array(40), 1);
      expect(n).toBe(10);
      return Array.from(out);
    };
    const a = draw(3);
    expect(a).toEqual(draw(3));
    expect(new Set(a).size).toBe(10);
    expect(a.every((i) => i >= 6 && i < 40)).toBe(true);
  });
});
