import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '@musicrec/core';
import { datasetStats } from '@musicrec/data';
import type { BenchReport, ReportRow } from '@musicrec/eval';
import { renderHtml, renderMarkdown, validateReport } from '@musicrec/eval';
import { loadSpec, reportLabel, type DatasetSpec } from './benchDatasets';
import type { ChildJob } from './child';
import { runInTsChild } from './forkChild';
import { mmrCurve, pickMmrBase } from './mmrCurve';
import { ProgressView } from './progressView';
import { findModel, runsIn } from './registry';
import { runSequentialRows, SEQUENCES_PROTOCOL } from './sequentialRow';
import { runModelRow, type RowOptions } from './runModel';
import { makeSplit } from './splitting';

// scale.ts forks its cells with the same loader
export { tsxLoader } from './forkChild';

export interface BenchOptions {
  datasets: readonly DatasetSpec[];
  models: readonly string[];
  seed: number;
  protocol: string;
  tuneBudget: number;
  quick: boolean;
  latencyUsers: number;
  outDir: string;
  /** Run models in this process instead of one child process each (no per-model peak RSS). */
  inProcess: boolean;
  /** Also measure the MMR accuracy–diversity curve over the run's iALS (or item-kNN-all) row. */
  mmrCurve?: boolean;
  /** Replace only the run's rows in the report already in outDir (see `mergeRows`). */
  merge?: boolean;
}

/** Runs every model on every dataset and writes `<outDir>/<dataset>.{json,md,html}`. */
export async function runBench(options: BenchOptions, view = new ProgressView()): Promise<BenchReport[]> {
  await mkdir(options.outDir, { recursive: true });
  const reports: BenchReport[] = [];
  for (const spec of options.datasets) {
    const label = reportLabel(spec);
    view.line(`dataset ${label}: loading`);
    const dataset = await loadSpec(spec, view.listener());
    const split = makeSplit(dataset, options.protocol, options.seed);
    const m = dataset.interactions;
    view.line(
      `dataset ${label}: ${m.nUsers} users × ${m.nItems} items, ${m.nnz} interactions; ` +
        `${options.protocol} split train ${split.train.nnz} / validation ${split.validation.nnz} / test ${split.test.nnz}`,
    );
    const rowOptions: Omit<RowOptions, 'onProgress'> = {
      seed: options.seed,
      tuneBudget: options.tuneBudget,
      quick: options.quick,
      latencyUsers: options.latencyUsers,
    };
    const holdoutModels = options.models.filter((name) => {
      const entry = findModel(name);
      const skip = entry.skipReason?.(dataset) ?? null;
      if (skip && runsIn(entry, 'holdout')) view.line(`dataset ${label}: ${name} skipped: ${skip}`);
      return runsIn(entry, 'holdout') && skip === null;
    });
    const rows: ReportRow[] = [];
    view.start(`${label}`, holdoutModels.length);
    for (const [i, name] of holdoutModels.entries()) {
      view.update(i, name);
      let modelRows: ReportRow[];
      if (options.inProcess) {
        const r = await runModelRow(findModel(name), dataset, split, { ...rowOptions, onProgress: (s) => view.detail(s) });
        modelRows = [r.row, ...r.extraRows];
      } else {
        modelRows = await runInChild({ dataset: spec, model: name, protocol: options.protocol, options: rowOptions }, view);
      }
      for (const row of modelRows) {
        rows.push(row);
        view.detail(`${row.model}: NDCG@10 ${row.metrics['10'].ndcg.toFixed(4)} HR@10 ${row.metrics['10'].hitRate.toFixed(4)}`);
      }
    }
    view.update(holdoutModels.length, 'done');
    view.stop();
    let curves: BenchReport['curves'];
    if (options.mmrCurve) {
      const base = pickMmrBase(rows);
      view.line(`dataset ${label}: MMR curve over ${base.entry.name}`);
      const curve = await mmrCurve(dataset, split, base, options.seed);
      if (curve) curves = { mmr: curve };
      else view.line(`dataset ${label}: no item content, no MMR curve`);
    }
    const report: BenchReport = {
      schema: 1,
      dataset: label,
      protocol: options.protocol,
      seed: options.seed,
      createdAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, gpu: null },
      datasetStats: { ...datasetStats(m), loadReport: dataset.loadReport } as unknown as Record<string, unknown>,
      rows,
      ...(curves ? { curves } : {}),
    };
    const written = options.merge ? mergeRows(await readReport(options.outDir, label), report) : report;
    await writeReport(written, options.outDir);
    process.stdout.write(`\n${renderMarkdown(written)}\n`);
    reports.push(written);

    const sequentialModels = options.models.filter((name) => runsIn(findModel(name), 'sequences'));
    if (sequentialModels.length > 0 && dataset.sequences) {
      const seqRows: ReportRow[] = [];
      view.line(`dataset ${label}: next-item leaderboard (leave-last-out over the time-ordered sequences)`);
      view.start(`${label}-sequential`, sequentialModels.length);
      for (const [i, name] of sequentialModels.entries()) {
        view.update(i, name);
        const modelRows = options.inProcess
          ? await runSequentialRows(findModel(name), dataset, { ...rowOptions, onProgress: (s) => view.detail(s) })
          : await runInChild({ dataset: spec, model: name, protocol: SEQUENCES_PROTOCOL, options: rowOptions }, view);
        for (const row of modelRows) {
          seqRows.push(row);
          view.detail(`${row.model}: NDCG@10 ${row.metrics['10'].ndcg.toFixed(4)} HR@10 ${row.metrics['10'].hitRate.toFixed(4)}`);
        }
      }
      view.update(sequentialModels.length, 'done');
      view.stop();
      const seqReport: BenchReport = {
        ...report,
        dataset: `${label}-sequential`,
        protocol: 'leave-last-out',
        createdAt: new Date().toISOString(),
        datasetStats: { sequences: sequenceStats(dataset.sequences) },
        rows: seqRows,
      };
      delete seqReport.curves;
      await writeReport(options.merge ? mergeRows(await readReport(options.outDir, seqReport.dataset), seqReport) : seqReport, options.outDir);
      process.stdout.write(`\n${renderMarkdown(seqReport)}\n`);
      reports.push(seqReport);
    } else if (sequentialModels.length > 0) {
      view.line(`dataset ${label}: no time-ordered sequences, so no next-item leaderboard (${sequentialModels.join(', ')} skipped)`);
    }
  }
  return reports;
}

/** Users, events and the length distribution of the sequences the next-item rows use. */
function sequenceStats(seq: NonNullable<Dataset['sequences']>): Record<string, number> {
  const n = seq.indptr.length - 1;
  let withTarget = 0;
  const lengths: number[] = [];
  for (let u = 0; u < n; u++) {
    const len = seq.indptr[u + 1] - seq.indptr[u];
    lengths.push(len);
    if (len >= 2) withTarget++;
  }
  lengths.sort((a, b) => a - b);
  return { users: n, events: seq.items.length, usersWithTestTarget: withTarget, medianLength: lengths[Math.floor(n / 2)] ?? 0 };
}

/** The report `<outDir>/<dataset>.json`, validated; null when there is none. */
async function readReport(outDir: string, dataset: string): Promise<BenchReport | null> {
  const path = join(outDir, `${dataset}.json`);
  if (!existsSync(path)) return null;
  return validateReport(JSON.parse(await readFile(path, 'utf8')));
}

/**
 * `fresh`'s rows laid into `existing`: a row of the same model is replaced in place, a new
 * model's row appended; every other row, the curves and the dataset statistics stay as they
 * were (rows are independent runs: each model fits in its own process on the same seeded
 * split). The createdAt of the fresh run is kept. Without an existing report, `fresh` itself.
 */
export function mergeRows(existing: BenchReport | null, fresh: BenchReport): BenchReport {
  if (!existing) return fresh;
  if (existing.protocol !== fresh.protocol || existing.seed !== fresh.seed) {
    throw new Error(`cannot merge: the report holds protocol ${existing.protocol} / seed ${existing.seed}, this run ${fresh.protocol} / seed ${fresh.seed}`);
  }
  const rows = existing.rows.map((r) => fresh.rows.find((f) => f.model === r.model) ?? r);
  for (const f of fresh.rows) if (!existing.rows.some((r) => r.model === f.model)) rows.push(f);
  return { ...existing, createdAt: fresh.createdAt, machine: fresh.machine, rows, ...(fresh.curves ? { curves: fresh.curves } : {}) };
}

export async function writeReport(report: BenchReport, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, report.dataset);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, renderMarkdown(report));
  await writeFile(`${base}.html`, renderHtml(report));
}

function runInChild(job: ChildJob, view: ProgressView): Promise<ReportRow[]> {
  return runInTsChild<ReportRow[]>(new URL('./child.ts', import.meta.url), job, 'rows', `model ${job.model} on ${reportLabel(job.dataset)}`, (m) =>
    view.detail(m),
  );
}
