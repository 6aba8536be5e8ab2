import { describe, expect, it } from 'vitest';
import { leaveLastOutSequences, loadDataset } from '@musicrec/data';
import { popularityFactory } from '@musicrec/models-classic';
import { runSequentialRow } from './sequentialRow';

describe('runSequentialRow', () => {
  it('scores the next item of every user with a test target, on the leave-last-out protocol', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 150, nItems: 120, nInteractions: 3000, seed: 9 });
    const row = await runSequentialRow({ name: 'popularity', factory: popularityFactory }, dataset, {
      seed: 42,
      tuneBudget: 0,
      quick: false,
      latencyUsers: 5,
    });
    const split = leaveLastOutSequences(dataset.sequences!);
    const withTarget = [...split.testTarget].filter((t) => t >= 0).length;
    expect(row.protocol).toBe('leave-last-out');
    expect(row.extra!.usersEvaluated).toBe(withTarget);
    // one target per user: HR@K = recall@K and precision@K = HR@K / K
    for (const k of ['5', '10', '20'] as const) {
      expect(row.metrics[k].recall).toBeCloseTo(row.metrics[k].hitRate, 12);
      expect(row.metrics[k].precision).toBeCloseTo(row.metrics[k].hitRate / Number(k), 12);
    }
    expect(row.metrics['20'].hitRate).toBeGreaterThanOrEqual(row.metrics['5'].hitRate);
    expect(row.backend).toBeNull();
  });
});
