import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateReport, type BenchReport } from '@musicrec/eval';
import { MODEL_REGISTRY, findModel } from './registry';
import { mergeRows, runBench } from './runBench';
import { ProgressView } from './progressView';

class QuietView extends ProgressView {
  override line(): void {}
}

describe('model registry', () => {
  it('has unique names and every entry builds a model with its fixed params', () => {
    const names = MODEL_REGISTRY.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of MODEL_REGISTRY) {
      const model = entry.factory.create(entry.params ?? {});
      for (const [k, v] of Object.entries(entry.params ?? {})) expect(model.params[k]).toEqual(v);
    }
    expect(() => findModel('no-such-model')).toThrow(/registered: popularity/);
  });
});

describe('runBench', () => {
  it('writes a schema-valid report where item-kNN beats popularity on synthetic data', async () => {
    const out = await mkdtemp(join(tmpdir(), 'musicrec-bench-'));
    const tiny = {
      datasets: [{ name: 'synthetic', label: 'tiny', options: { nUsers: 300, nItems: 200, nInteractions: 6000, seed: 3 } }],
      seed: 42,
      protocol: 'holdout',
      tuneBudget: 0,
      quick: true,
      latencyUsers: 20,
      outDir: out,
      inProcess: true,
    };
    const [report] = await runBench({ ...tiny, models: ['popularity', 'item-knn'] }, new QuietView());
    const onDisk = validateReport(JSON.parse(await readFile(join(out, 'tiny.json'), 'utf8')));
    expect(onDisk.rows.map((r) => r.model)).toEqual(['popularity', 'item-knn']);
    expect(report.protocol).toBe('holdout');
    const ndcg = Object.fromEntries(report.rows.map((r) => [r.model, r.metrics['10'].ndcg]));
    expect(ndcg['item-knn']).toBeGreaterThan(ndcg.popularity);
    for (const row of report.rows) {
      expect(row.latencyMs.p50).toBeLessThanOrEqual(row.latencyMs.p99);
      expect(row.fitSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(await readFile(join(out, 'tiny.md'), 'utf8')).toContain('| item-knn |');

    // --merge: re-running one model replaces its row in place and keeps the other
    const before = onDisk.rows.find((r) => r.model === 'popularity')!;
    await runBench({ ...tiny, models: ['item-knn', 'item-knn-all'], merge: true }, new QuietView());
    const merged = validateReport(JSON.parse(await readFile(join(out, 'tiny.json'), 'utf8')));
    expect(merged.rows.map((r) => r.model)).toEqual(['popularity', 'item-knn', 'item-knn-all']);
    expect(merged.rows[0]).toEqual(before);
    expect(merged.rows[1].metrics['10'].ndcg).toBe(ndcg['item-knn']);
  });

  it('mergeRows refuses to merge runs of another protocol or seed', () => {
    const base = { schema: 1, dataset: 'd', protocol: 'holdout', seed: 42, createdAt: 'x', machine: { cpus: 2, node: 'v20', gpu: null }, rows: [] } as BenchReport;
    expect(() => mergeRows(base, { ...base, seed: 7 })).toThrow(/protocol holdout \/ seed 42, this run holdout \/ seed 7/);
    expect(mergeRows(null, base)).toBe(base);
  });
});
