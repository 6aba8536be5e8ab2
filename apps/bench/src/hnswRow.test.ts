import { describe, expect, it } from 'vitest';
import { holdoutSplit, loadDataset } from '@musicrec/data';
import { evaluateModel } from '@musicrec/eval';
import type { ReportRow } from '@musicrec/eval';
import { ialsFactory } from '@musicrec/models-classic';
import { hnswRow } from './hnswRow';

describe('hnswRow', async () => {
  const dataset = await loadDataset('synthetic', { nUsers: 200, nItems: 150, nInteractions: 4000, seed: 5 });
  const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
  const fullTrain = split.fullTrain.binarize();
  const model = ialsFactory.create({ factors: 8, iterations: 3 });
  await model.fit(fullTrain, { seed: 42 });
  const exact = evaluateModel(model, { fullTrain, test: split.test });
  const tsRow: ReportRow = {
    model: 'ials-test',
    params: { ...model.params },
    backend: null,
    inference: 'ts',
    metrics: exact.ranking.perK,
    beyond: exact.beyond,
    fitSeconds: 1.5,
    peakRssMb: 1,
    latencyMs: { p50: 1, p95: 1, p99: 1 },
    throughputUsersPerSec: 1,
    extra: { usersEvaluated: exact.ranking.nUsersEvaluated },
  };

  it.each(['ip', 'mips-l2'] as const)('space %s: a search that visits all 150 items ranks exactly like the model, and the row records HNSW latency', async (space) => {
    const row = await hnswRow('ials-test', model, tsRow, dataset, { fullTrain, test: split.test }, { efSearch: 200, space }, { latencyUsers: 5 });
    expect(row.model).toBe('ials-test-hnsw');
    expect(row.inference).toBe('hnsw');
    // same trained model: fit time and settings carried over from its own row
    expect(row.fitSeconds).toBe(1.5);
    expect(row.params).toEqual(tsRow.params);
    for (const k of ['5', '10', '20'] as const) {
      expect(row.metrics[k].ndcg).toBeCloseTo(tsRow.metrics[k].ndcg, 6);
      expect(row.metrics[k].recall).toBeCloseTo(tsRow.metrics[k].recall, 6);
    }
    expect(row.latencyMs.p50).toBeGreaterThan(0);
    expect(row.latencyMs.p50).toBeLessThanOrEqual(row.latencyMs.p99);
    const hnsw = row.extra!.hnsw as { space: string; efSearch: number; candidates: number; buildSeconds: number; scoreRowLatencyMs: { p50: number; p99: number } };
    expect(hnsw.space).toBe(space);
    expect(hnsw.efSearch).toBe(200);
    expect(hnsw.candidates).toBeGreaterThanOrEqual(20);
    expect(hnsw.buildSeconds).toBeGreaterThanOrEqual(0);
    expect(hnsw.scoreRowLatencyMs.p50).toBeGreaterThan(0);
    expect(row.extra!.usersEvaluated).toBe(exact.ranking.nUsersEvaluated);
    expect(row.byHistory).toBeDefined();
    expect(row.warmItems).toBeDefined();
  });
});
