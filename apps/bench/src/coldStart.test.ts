import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateColdStartReport } from '@musicrec/eval';
import { ProgressView } from './progressView';
import { runColdStart } from './runColdStart';

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
