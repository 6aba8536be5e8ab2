import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdoutSplit, loadDataset } from '@musicrec/data';
import { evaluateModel, validateReport } from '@musicrec/eval';
import type { ReportRow } from '@musicrec/eval';
import { mmrCurve, pickMmrBase } from './mmrCurve';
import { ProgressView } from './progressView';
import { findModel } from './registry';
import { runBench } from './runBench';

class QuietView extends ProgressView {
  override line(): void {}
}

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
    expect(pickMmrBase([row('ials', { factors: 8 }), row('ease', { lambda: 5 })], 'ease')).toMatchObject({ entry: { name: 'ease' }, params: { lambda: 5 } });
    expect(pickMmrBase([], 'item-knn')).toMatchObject({ entry: { name: 'item-knn' }, params: { neighbors: 100 } });
    expect(() => pickMmrBase([], 'no-such-model')).toThrow(/unknown model/);
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

describe('runBench with the MMR curve', () => {
  it('writes the curve into a schema-valid report', async () => {
    const out = await mkdtemp(join(tmpdir(), 'musicrec-mmr-'));
    const [report] = await runBench(
      {
        datasets: [{ name: 'synthetic', label: 'tiny', options: { nUsers: 300, nItems: 200, nInteractions: 6000, seed: 3 } }],
        models: ['popularity', 'item-knn-all'],
        seed: 42,
        protocol: 'holdout',
        tuneBudget: 0,
        quick: true,
        latencyUsers: 10,
        outDir: out,
        inProcess: true,
        mmrCurve: true,
      },
      new QuietView(),
    );
    const onDisk = validateReport(JSON.parse(await readFile(join(out, 'tiny.json'), 'utf8')));
    const curve = onDisk.curves!.mmr!;
    expect(curve.base).toBe('item-knn-all');
    expect(curve.points.map((p) => p.lambda)).toEqual([1, 0.9, 0.8, 0.7, 0.5, 0.3]);
    // λ = 1 is the item-kNN-all row itself
    expect(curve.points[0].ndcg10).toBeCloseTo(report.rows[1].metrics['10'].ndcg, 12);
    expect(await readFile(join(out, 'tiny.html'), 'utf8')).toContain('<polyline');
  });
});
