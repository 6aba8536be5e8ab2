import { ConfigError, Interactions, emptyLoadReport } from '@musicrec/core';
import type { Dataset, FitContext, Recommender } from '@musicrec/core';
import type { SequenceSplit } from '@musicrec/data';
import { describe, expect, it } from 'vitest';
import { isSequenceFittable, runSequentialBench } from './run-sequential-bench';
import { sequencesOf } from './test-sequences';

const d = (rank: number): number => 1 / Math.log2(rank + 1);
const itemIds = ['a', 'b', 'c', 'd', 'e', 'f'];
const userIds = ['u0', 'u1', 'u2'];
// u0: train [0, 1], validation 2, test 3; u1: train [4], validation 5, test 0; u2: train [2], test 3
const sequences = sequencesOf([[0, 1, 2, 3], [4, 5, 0], [2, 3]]);
const dataset: Dataset = {
  name: 'tiny',
  interactions: Interactions.empty(userIds, itemIds),
  catalog: { itemIds },
  sequences,
  loadReport: emptyLoadReport(),
};

/** Item (last input + 1) mod 6 scores 1, every other item 0. */
class SuccessorModel implements Recommender {
  readonly name = 'successor';
  readonly params = {};
  split: SequenceSplit | null = null;
  async fit(): Promise<void> {
    throw new Error('a sequential model must be fitted through fitSequences');
  }
  async fitSequences(split: SequenceSplit, ctx: { nItems: number }): Promise<void> {
    expect(ctx.nItems).toBe(6);
    this.split = split;
  }
  scoreUsers(users: Int32Array, out = new Float32Array(users.length * 6)): Float32Array {
    out.fill(0);
    const input = this.split!.fullTrain;
    users.forEach((u, r) => {
      const last = input.items[input.indptr[u + 1] - 1];
      out[r * 6 + ((last + 1) % 6)] = 1;
    });
    return out;
  }
  async save(): Promise<void> {}
  describe(): Record<string, unknown> {
    return { kind: 'successor' };
  }
}

/** Users per item in the training matrix. */
class CountModel implements Recommender {
  readonly name = 'count';
  readonly params = { weighting: 'count' };
  counts = new Float32Array(0);
  train: Interactions | null = null;
  async fit(train: Interactions, _ctx: FitContext): Promise<void> {
    this.train = train;
    this.counts = Float32Array.from(train.itemCounts());
  }
  scoreUsers(users: Int32Array, out = new Float32Array(users.length * 6)): Float32Array {
    users.forEach((_, r) => out.set(this.counts, r * 6));
    return out;
  }
  async save(): Promise<void> {}
}

describe('runSequentialBench', () => {
  it('gives a sequential model the split and scores it after the full-train input', async () => {
    const r = await runSequentialBench(dataset, { create: () => new SuccessorModel() }, { seed: 1, ks: [1, 5] });
    const split = (r.model as SuccessorModel).split!;
    expect(Array.from(split.testTarget)).toEqual([3, 0, 3]);
    expect(Array.from(split.validationTarget)).toEqual([2, 5, -1]);
    expect(r.protocol).toBe('leave-last-out');
    expect(r.nUsersEvaluated).toBe(3);
    expect(r.metrics['1'].hitRate).toBe(1);
    expect(r.metrics['1'].ndcg).toBe(1);
    expect(r.details).toEqual({ kind: 'successor' });
    expect(r.fitSeconds).toBeGreaterThanOrEqual(0);
  });

  it('fits any other Recommender on the full-train events as a matrix (hand-computed popularity)', async () => {
    const r = await runSequentialBench(dataset, { create: () => new CountModel() }, { seed: 1, ks: [1, 5] });
    const train = (r.model as CountModel).train!;
    expect([Array.from(train.itemsOf(0)), Array.from(train.itemsOf(1)), Array.from(train.itemsOf(2))]).toEqual([[0, 1, 2], [4, 5], [2]]);
    // counts 1 1 2 0 1 1; u0 (0,1,2 excluded) → 4, 5, 3: target 3 at rank 3;
    // u1 (4,5 excluded) → 2, 0, 1, 3: target 0 at rank 2; u2 (2 excluded) → 0, 1, 4, 5, 3: target 3 at rank 5
    expect(r.metrics['1'].hitRate).toBe(0);
    expect(r.metrics['5'].hitRate).toBe(1);
    expect(r.metrics['5'].ndcg).toBeCloseTo((d(3) + d(2) + d(5)) / 3, 12);
    expect(r.metrics['5'].mrr).toBeCloseTo((1 / 3 + 1 / 2 + 1 / 5) / 3, 12);
    expect(r.params).toEqual({ weighting: 'count' });
    expect(r.details).toEqual({});
  });

  it('refuses a dataset without sequences', async () => {
    const { sequences: _, ...rest } = dataset;
    await expect(runSequentialBench(rest, { create: () => new CountModel() }, { seed: 1 })).rejects.toThrow(ConfigError);
    await expect(runSequentialBench(rest, { create: () => new CountModel() }, { seed: 1 })).rejects.toThrow(/has none/);
  });

  it('tells sequential models from the rest', () => {
    expect(isSequenceFittable(new SuccessorModel())).toBe(true);
    expect(isSequenceFittable(new CountModel())).toBe(false);
  });
});
