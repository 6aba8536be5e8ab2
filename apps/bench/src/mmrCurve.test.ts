import { describe, expect, it } from 'vitest';
import { holdoutSplit, loadDataset } from '@musicrec/data';
import { evaluateModel } from '@musicrec/eval';
import type { ReportRow } from '@musicrec/eval';
import { mmrCurve, pickMmrBase } from './mmrCurve';
import { findModel } from './registry';

const row = (model: string, params: Record<string, unknown>, protocol?: string) =>
  ({ model, params, ...(protocol ? { protocol } : {}) }) as unknown as ReportRow;

describe('pickMmrBase', () => {
  it('takes the iALS row and its params, else item-kNN-all, else item-kNN-all as registered', () => {
    expect(pickMmrBase([row('item-knn-all', { neighbors: 0 }), row('ials', { factors: 8 })])).toMatchObject({
      entry: { name: 'ials' },
      params: { factors: 8 },
    });
    expect(pickMmrBase([row('ials', { factors: 8 }, 'leave-last-out'), row('item-knn-all', { neighbors: 0, shrinkage: 5 })])).toMatchObject({
      entry: { name: 'item-knn-all' },
      params: { shrinkage: 5 },
    });
    expect(pickMmrBase([row('popularity', {})])).toMatchObject({ entry: { name: 'item-knn-all' }, params: { neighbors: 0 } });
  });
});

describe('mmrCurve', () => {
  it('λ = 1 reproduces the base ranking; lower λ lowers the similarity within lists', async () => {
    const dataset = await loadDataset('synthetic', { nUsers: 300, nItems: 200, nInteractions: 6000, seed: 3 });
    const split = holdoutSplit(dataset.interactions, { seed: 42, testFraction: 0.2, validationFraction: 0.1 });
    const base = { entry: findModel('item-knn'), params: { neighbors: 50 } };
    const curve = (await mmrCurve(dataset, split, base, 42, { lambdas: [1, 0.5, 0.3], pool: 50 }))!;
    expect(curve.base).toBe('item-knn');
    expect(curve.similarity).toBe('audio');
    expect(curve.points.map((p) => p.lambda)).toEqual([1, 0.5, 0.3]);

    const model = base.entry.factory.create(base.params);
    const fullTrain = split.fullTrain.binarize();
    await model.fit(fullTrain, { seed: 42, catalog: dataset.catalog, dataset });
    const direct = evaluateModel(model, { fullTrain, test: split.test }, { catalog: dataset.catalog });
    expect(curve.points[0].ndcg10).toBeCloseTo(direct.ranking.perK['10'].ndcg, 12);
    expect(curve.points[0].ils10).toBeCloseTo(direct.beyond.ils!, 6);
    expect(curve.points[0].coverage).toBeCloseTo(direct.beyond.coverage, 12);
    expect(curve.points[1].ils10!).toBeLessThan(curve.points[0].ils10!);
    expect(curve.points[2].ils10!).toBeLessThan(curve.points[1].ils10!);
  });
});
