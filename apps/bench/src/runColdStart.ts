import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { renderColdStartMarkdown, usersWithItems, validateReport } from '@musicrec/eval';
import type { BenchReport, ColdStartReport, ColdStartRow, ReportRow } from '@musicrec/eval';
import { loadSpec, reportLabel, type DatasetSpec } from './benchDatasets';
import type { ColdStartJob } from './coldStartChild';
import { coldStartSetup, runColdStartRow, type ColdStartOptions } from './coldStart';
import { runInTsChild } from './forkChild';
import { ProgressView } from './progressView';
import { entryParams, findModel, type ModelEntry } from './registry';
import { makeSplit } from './splitting';

export interface ColdStartBenchOptions {
  dataset: DatasetSpec;
  models: readonly string[];
  /** Where `<dataset>.json` with the tuned params is read from. */
  reportsDir: string;
  outDir: string;
  /** Seed and protocol default to the tuned report's (else 42, holdout). */
  seed?: number;
  conditions: Omit<ColdStartOptions, 'seed'>;
  inProcess: boolean;
}

/** The tuned report of the dataset, when the bench has written one. */
async function readTunedReport(reportsDir: string, label: string): Promise<BenchReport | null> {
  const file = join(reportsDir, `${label}.json`);
  if (!existsSync(file)) return null;
  return validateReport(JSON.parse(await readFile(file, 'utf8')), file);
}

/**
 * Every model under user and item cold start (one child process per model unless
 * `inProcess`), params from the dataset's bench report rows; writes
 * `<outDir>/coldstart-<dataset>.{json,md}`. A model that fails is listed under `failures`.
 */
export async function runColdStart(options: ColdStartBenchOptions, view = new ProgressView()): Promise<ColdStartReport> {
  const label = reportLabel(options.dataset);
  const tuned = await readTunedReport(options.reportsDir, label);
  if (!tuned) view.line(`no ${label}.json in ${options.reportsDir}: every model runs with its registry params (untuned)`);
  const protocol = tuned?.protocol ?? 'holdout';
  const seed = options.seed ?? tuned?.seed ?? 42;
  const conditions: ColdStartOptions = { ...options.conditions, seed };
  view.line(`dataset ${label}: loading`);
  const dataset = await loadSpec(options.dataset, view.listener());
  const split = makeSplit(dataset, protocol, seed);
  const setup = coldStartSetup(dataset, split, conditions);
  view.line(
    `dataset ${label}: ${setup.users.length} users cut to ${conditions.levels.join('/')} items; ` +
      (setup.item ? `${setup.item.coldItems.length} cold items, ${setup.item.coldTest.nnz} cold test interactions` : 'no item cold start'),
  );

  const rows: ColdStartRow[] = [];
  const failures: { model: string; error: string }[] = [];
  view.start(`coldstart ${label}`, options.models.length);
  for (const [n, name] of options.models.entries()) {
    view.update(n, name);
    const entry = findModel(name);
    const skip = entry.skipReason?.(dataset) ?? null;
    if (skip) {
      view.line(`dataset ${label}: ${name} skipped: ${skip}`);
      continue;
    }
    const row = tuned?.rows.find((r) => r.model === name && (r.protocol === undefined || r.protocol === protocol));
    const params = row ? coldStartParams(entry, row) : entryParams(entry, dataset.name);
    const paramsFrom = row ? 'report' : 'registry';
    try {
      const result = options.inProcess
        ? await runColdStartRow(entry, params, paramsFrom, dataset, split, setup, conditions, (m) => view.detail(m))
        : await runInTsChild<ColdStartRow>(
            new URL('./coldStartChild.ts', import.meta.url),
            { dataset: options.dataset, model: name, protocol, params, paramsFrom, options: conditions } satisfies ColdStartJob,
            'row',
            `cold start of ${name} on ${label}`,
            (m) => view.detail(m),
          );
      rows.push(result);
      const u1 = result.userColdStart['1'];
      view.detail(`${name}: NDCG@10 with 1 item ${u1 ? u1.ndcg10.toFixed(4) : '–'}, cold items ${result.itemColdStart?.ndcg10.toFixed(4) ?? '–'}`);
    } catch (e) {
      failures.push({ model: name, error: (e as Error).message });
      view.detail(`${name}: FAILED ${(e as Error).message.split('\n')[0]}`);
    }
  }
  view.update(options.models.length, 'done');
  view.stop();

  const report: ColdStartReport = {
    schema: 1,
    kind: 'coldstart',
    dataset: label,
    protocol,
    seed,
    createdAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, gpu: null },
    userColdStart: {
      minTrainItems: conditions.minTrainItems,
      maxUsers: conditions.maxUsers,
      users: setup.users.length,
      levels: conditions.levels,
    },
    itemColdStart: setup.item
      ? {
          fraction: conditions.itemFraction,
          contentItems: setup.contentItems,
          coldItems: setup.item.coldItems.length,
          users: usersWithItems(setup.item.coldTest).length,
        }
      : null,
    rows,
    ...(failures.length ? { failures } : {}),
  };
  await mkdir(options.outDir, { recursive: true });
  const base = join(options.outDir, `coldstart-${label}`);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, renderColdStartMarkdown(report));
  return report;
}

/**
 * The params a cold-start refit takes from the bench row: the row's own, except that a row
 * evaluated as early-stopped on validation without a refit (neural rows) carries the epoch
 * budget in its params and what validation chose in its tuning record (`refitParams`; reports
 * written before it hold `earlyStoppedAt`, an epoch count); the refit, which has no validation
 * fold to stop on, takes those.
 */
export function coldStartParams(entry: ModelEntry, row: ReportRow): Record<string, unknown> {
  if (entry.refit !== false) return row.params;
  const tuning = row.extra?.tuning as { refitParams?: Record<string, unknown>; earlyStoppedAt?: unknown } | undefined;
  if (tuning?.refitParams) return { ...row.params, ...tuning.refitParams };
  const stoppedAt = tuning?.earlyStoppedAt;
  if (typeof stoppedAt === 'number' && stoppedAt > 0 && 'epochs' in row.params) return { ...row.params, epochs: stoppedAt };
  return row.params;
}
