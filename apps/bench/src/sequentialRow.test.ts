import { describe, expect, it } from 'vitest';
import { leaveLastOutSequences, loadDataset } from '@musicrec/data';
import { popularityFactory } from '@musicrec/models-classic';
import { findModel } from './registry';
import { runSequentialRows } from './sequentialRow';

describe('runSequentialRows', () => {
  it('scores the next item of every user with a test target, on the leave-last-out protocol', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 150, nItems: 120, nInteractions: 3000, seed: 9 });
    const [row] = await runSequentialRows({ name: 'popularity', factory: popularityFactory }, dataset, {
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

describe('the ONNX-served next-item row', () => {
  it('SASRec through onnxruntime ranks like SASRec through TF.js, from the same history windows', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 60, nItems: 40, nInteractions: 900, seed: 3 });
    const entry = findModel('sasrec');
    const rows = await runSequentialRows({ ...entry, params: { ...entry.params, epochs: 1, factors: 16, maxLen: 10, batchSize: 16 } }, dataset, {
      seed: 42,
      tuneBudget: 0,
      quick: false,
      latencyUsers: 3,
    });
    expect(rows.map((r) => r.model)).toEqual(['sasrec', 'sasrec-onnx']);
    const [ts, onnx] = rows;
    expect(onnx.inference).toMatch(/^onnx-(cuda|webgpu|cpu)$/);
    expect(onnx.extra!.usersEvaluated).toBe(ts.extra!.usersEvaluated);
    expect(ts.metrics['20'].hitRate).toBeGreaterThan(0); // hits to agree on, not two empty lists
    for (const k of ['5', '10', '20'] as const) {
      expect(onnx.metrics[k].ndcg).toBeCloseTo(ts.metrics[k].ndcg, 4);
      expect(onnx.metrics[k].hitRate).toBeCloseTo(ts.metrics[k].hitRate, 4);
    }
  }, 60_000);
});
