import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateColdStartReport, type ReportRow } from '@musicrec/eval';
import { ProgressView } from './progressView';
import { findModel } from './registry';
import { coldStartParams, runColdStart } from './runColdStart';

class QuietView extends ProgressView {
  override line(): void {}
}

describe('runColdStart', () => {
  it('cuts histories, hides cold items from training, and writes the report', async () => {
    const out = await mkdtemp(join(tmpdir(), 'musicrec-coldstart-'));
    const report = await runColdStart(
      {
        dataset: { name: 'synthetic', label: 'tiny', options: { nUsers: 300, nItems: 200, nInteractions: 6000, seed: 3 } },
        models: ['popularity', 'item-knn', 'content-knn'],
        reportsDir: out, // no tiny.json there: registry params
        outDir: out,
        seed: 42,
        conditions: { levels: [1, 3, 5], minTrainItems: 6, maxUsers: 50, itemFraction: 0.1 },
        inProcess: true,
      },
      new QuietView(),
    );
    const onDisk = validateColdStartReport(JSON.parse(await readFile(join(out, 'coldstart-tiny.json'), 'utf8')));
    expect(onDisk).toEqual(report);
    expect(report.userColdStart).toEqual({ minTrainItems: 6, maxUsers: 50, users: 50, levels: [1, 3, 5] });
    expect(report.itemColdStart).toMatchObject({ fraction: 0.1, contentItems: 200, coldItems: 20 });
    expect(report.rows.map((r) => r.model)).toEqual(['popularity', 'item-knn', 'content-knn']);
    for (const row of report.rows) {
      expect(row.paramsFrom).toBe('registry');
      expect(Object.keys(row.userColdStart)).toEqual(['1', '3', '5', 'full']);
      for (const m of Object.values(row.userColdStart)) expect(m.users).toBe(50);
    }
    const knn = report.rows[1];
    // a collaborative model knows the users better with their whole history than with one item
    expect(knn.userColdStart.full.ndcg10).toBeGreaterThan(knn.userColdStart['1'].ndcg10);
    // models that score only items seen in training never recommend a cold item; content-kNN does
    expect(report.rows[0].itemColdStart!.coldShare10).toBe(0);
    expect(knn.itemColdStart!.coldShare10).toBe(0);
    expect(knn.itemColdStart!.ndcg10).toBe(0);
    expect(report.rows[2].itemColdStart!.coldShare10).toBeGreaterThan(0);
    expect(report.rows[2].itemColdStart!.ndcg10).toBeGreaterThan(0);
    expect(await readFile(join(out, 'coldstart-tiny.md'), 'utf8')).toContain('## Item cold start');
  });
});

describe('coldStartParams', () => {
  const row = (params: Record<string, unknown>, earlyStoppedAt?: number) =>
    ({ model: 'x', params, extra: earlyStoppedAt === undefined ? {} : { tuning: { trials: 1, earlyStoppedAt } } }) as unknown as ReportRow;

  it('a row evaluated as early-stopped without refit trains its cold-start refits for the stopping epoch', () => {
    expect(coldStartParams(findModel('two-tower'), row({ epochs: 6, dim: 64 }, 2))).toEqual({ epochs: 2, dim: 64 });
  });

  it('a row written with refitParams takes them; one written before (earlyStoppedAt) its epoch count', () => {
    const withRefit = { model: 'x', params: { epochs: 6, dim: 64 }, extra: { tuning: { trials: 1, refitParams: { epochs: 3 } } } } as unknown as ReportRow;
    expect(coldStartParams(findModel('two-tower'), withRefit)).toEqual({ epochs: 3, dim: 64 });
  });

  it('a refitted row already holds its stopping point in its params; a row without one keeps its params', () => {
    expect(coldStartParams(findModel('ials'), row({ iterations: 7 }, 7))).toEqual({ iterations: 7 });
    expect(coldStartParams(findModel('two-tower'), row({ epochs: 6 }))).toEqual({ epochs: 6 });
  });
});
