import { describe, expect, it } from 'vitest';
import { holdoutSplit, loadDataset } from '@musicrec/data';
import { ONNX_EXPORTABLE, type Recommender } from '@musicrec/core';
import { bprFactory, ialsFactory } from '@musicrec/models-classic';
import { exportDotProductScorer } from '@musicrec/models-neural';
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

  it('adds the view without cold items; popularity, which scores them 0, puts none in its top-10', async () => {
    // sparse enough that some items are only in validation or test
    const dataset = await loadDataset('synthetic', { nUsers: 300, nItems: 1500, nInteractions: 2500, seed: 3 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    const { row } = await runModelRow(findModel('popularity'), dataset, split, { seed: 42, tuneBudget: 0, quick: true, latencyUsers: 5 });
    const counts = split.fullTrain.itemCounts();
    const cold = Array.from(counts).filter((c) => c === 0).length;
    expect(cold).toBeGreaterThan(0);
    const coldTest = Array.from(split.test.indices).filter((i) => counts[i] === 0).length;
    expect(row.warmItems!.coldItems).toBe(cold);
    expect(row.warmItems!.coldTestShare).toBeCloseTo(coldTest / split.test.nnz, 12);
    expect(row.warmItems!.coldShareOfTop10).toBe(0);
    // with cold test items gone, fewer (or as many) users are left, each with fewer relevant items
    expect(row.warmItems!.users).toBeGreaterThan(0);
    expect(row.warmItems!.users).toBeLessThanOrEqual(row.extra!.usersEvaluated as number);
  });
});

describe('runModelRow with an ONNX export', () => {
  it('adds a <name>-onnx row whose scores come from onnxruntime and rank exactly like the TypeScript model', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 200, nItems: 150, nInteractions: 4000, seed: 5 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    // iALS declared OnnxExportable through its dot-product graph, as a neural factor model is
    const exportable = (m: Recommender) =>
      Object.assign(m, {
        [ONNX_EXPORTABLE]: true as const,
        toOnnx: () => exportDotProductScorer({ userEmbedding: m.userFactors!, itemEmbedding: m.itemFactors!, dim: 8 }),
      });
    const entry = {
      name: 'ials-test',
      factory: { ...ialsFactory, create: (p?: Record<string, unknown>) => exportable(ialsFactory.create(p)) },
      params: { factors: 8, iterations: 3 },
      onnxRow: true,
    };
    const { row, extraRows } = await runModelRow(entry, dataset, split, { seed: 42, tuneBudget: 0, quick: false, latencyUsers: 5 });
    expect(extraRows).toHaveLength(1);
    const onnxRow = extraRows[0];
    expect(onnxRow.model).toBe('ials-test-onnx');
    expect(onnxRow.inference).toBe('onnx-cpu');
    expect(row.inference).toBe('ts');
    for (const k of ['5', '10', '20'] as const) {
      expect(onnxRow.metrics[k].ndcg).toBeCloseTo(row.metrics[k].ndcg, 5);
      expect(onnxRow.metrics[k].recall).toBeCloseTo(row.metrics[k].recall, 5);
    }
    const onnx = onnxRow.extra!.onnx as { provider: string; graphBytes: number; request: string; fullRowLatencyMs: { p50: number; p99: number } };
    expect(onnx.provider).toBe('onnx-cpu');
    // requests are timed on the top-k graph; the full-row path is recorded beside them
    expect(onnx.request).toMatch(/^top-k graph/);
    expect(onnx.fullRowLatencyMs.p50).toBeGreaterThan(0);
    expect(onnx.fullRowLatencyMs.p50).toBeLessThanOrEqual(onnx.fullRowLatencyMs.p99);
    // user and item tables as float32 initializers dominate the graph
    expect(onnx.graphBytes).toBeGreaterThan((200 + 150) * 8 * 4);
    expect(onnxRow.latencyMs.p50).toBeGreaterThan(0);
  });
});

describe('runModelRow with refit: false', () => {
  it('evaluates the model early-stopped on validation instead of refitting it on train ∪ validation', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 200, nItems: 150, nInteractions: 4000, seed: 5 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    const entry = { name: 'ials-kept', factory: ialsFactory, params: { factors: 8, iterations: 3 }, refit: false };
    const { row, model } = await runModelRow(entry, dataset, split, { seed: 42, tuneBudget: 0, quick: false, latencyUsers: 5 });
    expect(row.extra!.fittedOn).toMatch(/^train \(early-stopped/);
    // the kept model was fitted on train only: its factors differ from a refit on train ∪ validation
    const refit = ialsFactory.create({ factors: 8, iterations: 3 });
    await refit.fit(split.fullTrain.binarize(), { seed: 42 });
    const trainOnly = ialsFactory.create({ factors: 8, iterations: 3 });
    await trainOnly.fit(split.train.binarize(), { seed: 42 });
    const users = Int32Array.of(0, 1, 2);
    expect(model.scoreUsers(users)).toEqual(trainOnly.scoreUsers(users));
    expect(model.scoreUsers(users)).not.toEqual(refit.scoreUsers(users));
  });
});

describe('runModelRow with a validation fit', () => {
  it('refits with what the tuning fit chose (Refittable.refitParams), the epoch describe() reports as kept', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 200, nItems: 150, nInteractions: 4000, seed: 5 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    const created: { params: Record<string, unknown>; model: Recommender }[] = [];
    const factory = {
      ...bprFactory,
      create: (params?: Record<string, unknown>) => {
        const model = bprFactory.create(params);
        created.push({ params: { ...params }, model });
        return model;
      },
    };
    // a budget that the validation curve ends well before: early stopping picks the epoch
    const fixed = { factors: 4, epochs: 40, validateEvery: 1, patience: 2 };
    const entry = { name: 'bpr-stopped', factory, params: fixed, validationFit: true };
    const { row } = await runModelRow(entry, dataset, split, { seed: 42, tuneBudget: 0, quick: false, latencyUsers: 5 });
    // one tuning fit on train → validation, then the refit on train ∪ validation
    expect(created).toHaveLength(2);
    const tuned = created[0].model.describe!() as { bestEpoch: number; epochsRun: number };
    expect(tuned.epochsRun).toBeLessThan(40);
    expect(created[0].params).toEqual(fixed);
    // the same params as the registry's old describe()[bestKey] mechanism gave: the kept epoch over the row's params
    expect(created[1].params).toEqual({ ...fixed, epochs: tuned.bestEpoch });
    expect(row.params.epochs).toBe(tuned.bestEpoch);
    expect((row.extra!.tuning as { refitParams: unknown }).refitParams).toEqual({ epochs: tuned.bestEpoch });
    expect(row.extra!.fittedOn).toBe('train ∪ validation');
  });

  it('a row without a validation fit refits on its params as they are and records no tuning', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 200, nItems: 150, nInteractions: 4000, seed: 5 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    const entry = { name: 'bpr-fixed', factory: bprFactory, params: { factors: 4, epochs: 5 } };
    const { row } = await runModelRow(entry, dataset, split, { seed: 42, tuneBudget: 0, quick: false, latencyUsers: 5 });
    expect(row.params.epochs).toBe(5);
    expect(row.extra!.tuning).toBeUndefined();
  });
});
