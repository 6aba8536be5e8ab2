import { describe, expect, it } from 'vitest';
import { holdoutSplit, loadDataset } from '@musicrec/data';
import { findModel } from './registry';
import { runModelRow } from './runModel';

describe('runModelRow', () => {
  it('adds the history-length buckets, which add up to the row\'s users and NDCG@10', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 300, nItems: 200, nInteractions: 6000, seed: 3 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    const { row } = await runModelRow(findModel('item-knn'), dataset, split, { seed: 42, tuneBudget: 0, quick: true, latencyUsers: 5 });
    const buckets = Object.values(row.byHistory!);
    expect(Object.keys(row.byHistory!)).toEqual(['1-2', '3-10', '11+']);
    const users = buckets.reduce((s, b) => s + b.users, 0);
    expect(users).toBe(row.extra!.usersEvaluated);
    expect(buckets.reduce((s, b) => s + b.users * b.ndcg10, 0) / users).toBeCloseTo(row.metrics['10'].ndcg, 6);
  });
});
