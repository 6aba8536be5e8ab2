#!/usr/bin/env -S npx tsx
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { dataQualityReport, formatQualityReport } from '@musicrec/features';
import { exportSplitCsv, datasetStats, formatStats, listDatasets } from '@musicrec/data';
import {
  baselineFromReports,
  evaluateRankings,
  gateReport,
  readRecommendationsCsv,
  renderColdStartMarkdown,
  renderGateTable,
  validateReport,
  validateGateBaseline,
} from '@musicrec/eval';
import { artifactCommands } from './artifactCommands';
import { ALL_DATASETS, QUICK_DATASET, loadSpec, type DatasetSpec } from './benchDatasets';
import { hnswTradeoffCommand } from './hnswTradeoff';
import { repoRoot } from './paths';
import { MODEL_REGISTRY } from './registry';
import { COLD_START_DEFAULTS } from './coldStart';
import { mmrCurve, pickMmrBase } from './mmrCurve';
import { runBench, writeReport } from './runBench';
import { runColdStart } from './runColdStart';
import { SCALE_SIZES, renderScaleTable, runScaleCell, type ScaleCell } from './scale';
import { makeSplit } from './splitting';

const root = repoRoot();

/** Gated metrics and the absolute drop each may take before the gate fails (split noise is about ±.005). */
const GATE_TOLERANCES: Record<string, number> = { 'ndcg@10': 0.01, 'hitRate@10': 0.02, 'recall@20': 0.02 };

function commonRunOptions(y: Argv) {
  return y
    .option('datasets', { type: 'array', string: true, describe: 'datasets to run (lastfm-2k, spotify-playlists, synthetic)' })
    .option('models', { type: 'array', string: true, describe: 'models to run (default: all registered)' })
    .option('seed', { type: 'number', default: 42, describe: 'seed for the split and every model' })
    .option('protocol', { type: 'string', default: 'holdout', choices: ['holdout', 'leave-last-out'] })
    .option('tune-budget', { type: 'number', describe: 'tuning trials per model on the validation fold (0 = no tuning)' })
    .option('latency-users', { type: 'number', default: 200, describe: 'users timed one by one for latency percentiles' })
    .option('out', { type: 'string', describe: 'report directory' })
    .option('data-dir', { type: 'string', describe: 'data directory (else $MUSICREC_DATA_DIR, else datasets/cache)' })
    .option('in-process', { type: 'boolean', default: false, describe: 'run models in this process (no per-model peak RSS)' })
    .option('mmr-curve', { type: 'boolean', describe: 'also measure the MMR λ curve over the iALS row (default: on for all, off for quick)' })
    .option('merge', {
      type: 'boolean',
      default: false,
      describe: "replace only these models' rows in the existing report of --out (the other rows, the curve and the dataset stats stay)",
    })
    .option('interactions', { type: 'string', describe: 'benchmark an outside interactions file (CSV/TSV) instead' })
    .option('sep', { type: 'string', describe: 'field separator of --interactions (default: tab if the first line has one, else comma)' })
    .option('user-col', { type: 'string', describe: 'user column: name (with --header) or 0-based index' })
    .option('item-col', { type: 'string', describe: 'item column: name or 0-based index' })
    .option('weight-col', { type: 'string', describe: 'optional weight column' })
    .option('time-col', { type: 'string', describe: 'optional timestamp column' })
    .option('header', { type: 'boolean', default: false, describe: 'the file has a header line' });
}

type RunArgs = Awaited<ReturnType<typeof commonRunOptions>['argv']>;

function col(v: string | undefined): string | number | undefined {
  if (v === undefined) return undefined;
  return /^\d+$/.test(v) ? Number(v) : v;
}

function datasetSpecs(args: RunArgs, fallback: readonly DatasetSpec[]): DatasetSpec[] {
  if (args.interactions) {
    if (args.userCol === undefined || args.itemCol === undefined) {
      throw new Error('--interactions needs --user-col and --item-col');
    }
    return [
      {
        name: 'file',
        label: basename(args.interactions).replace(/\.[^.]+$/, ''),
        options: {
          path: resolve(args.interactions),
          sep: args.sep === '\\t' ? '\t' : args.sep,
          userCol: col(args.userCol),
          itemCol: col(args.itemCol),
          weightCol: col(args.weightCol),
          timeCol: col(args.timeCol),
          header: args.header,
        },
      },
    ];
  }
  const chosen = args.datasets?.length ? args.datasets.map((name) => ({ name })) : [...fallback];
  return chosen.map((d) => ({ ...d, dataDir: args.dataDir }));
}

async function runCommand(args: RunArgs, quick: boolean): Promise<void> {
  const models = args.models?.length ? args.models : MODEL_REGISTRY.map((m) => m.name);
  await runBench({
    datasets: datasetSpecs(args, quick ? [QUICK_DATASET] : ALL_DATASETS),
    models,
    seed: args.seed,
    protocol: args.protocol,
    tuneBudget: args.tuneBudget ?? (quick ? 0 : 8),
    quick,
    latencyUsers: quick ? Math.min(args.latencyUsers, 100) : args.latencyUsers,
    outDir: resolve(args.out ?? join(root, 'benchmarks', 'reports', quick ? 'quick' : '')),
    inProcess: args.inProcess,
    mmrCurve: args.mmrCurve ?? (!quick && !args.merge),
    merge: args.merge,
  });
}

async function readReports(dir: string) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no report JSON files in ${dir}`);
  return Promise.all(files.map(async (f) => validateReport(JSON.parse(await readFile(join(dir, f), 'utf8')))));
}

await artifactCommands(yargs(hideBin(process.argv)))
  .scriptName('bench')
  .usage('$0 <command> [options]')
  .command(
    'all',
    'leaderboard on the real datasets (lastfm-2k, spotify-playlists): tune, fit, evaluate every model, write reports',
    (y) => commonRunOptions(y),
    (args) => runCommand(args, false),
  )
  .command(
    'quick',
    'small synthetic dataset with small settings (under a minute); writes benchmarks/reports/quick/',
    (y) => commonRunOptions(y),
    (args) => runCommand(args, true),
  )
  .command(
    'gate',
    'compare reports with benchmarks/baseline.json; exit 1 when a gated metric dropped by more than its tolerance',
    (y) =>
      y
        .option('reports', { type: 'string', describe: 'report directory', default: join(root, 'benchmarks', 'reports', 'quick') })
        .option('baseline', { type: 'string', default: join(root, 'benchmarks', 'baseline.json') })
        .option('update', { type: 'boolean', default: false, describe: 'write the baseline from these reports instead' }),
    async (args) => {
      const reports = await readReports(args.reports);
      if (args.update) {
        const baseline = baselineFromReports(reports, Object.keys(GATE_TOLERANCES), GATE_TOLERANCES);
        await writeFile(args.baseline, JSON.stringify(baseline, null, 2) + '\n');
        console.log(`baseline written to ${args.baseline}`);
        return;
      }
      const baseline = validateGateBaseline(JSON.parse(await readFile(args.baseline, 'utf8')), args.baseline);
      let ok = true;
      for (const report of reports) {
        if (!baseline.datasets[report.dataset]) continue;
        const result = gateReport(report, baseline);
        console.log(`\n## gate: ${report.dataset}\n\n${renderGateTable(result)}`);
        ok &&= result.passed;
      }
      const gated = reports.filter((r) => baseline.datasets[r.dataset]);
      if (gated.length === 0) throw new Error(`none of the reports in ${args.reports} has a baseline entry`);
      console.log(ok ? '\ngate passed' : '\ngate FAILED: a gated metric regressed beyond its tolerance');
      if (!ok) process.exitCode = 1;
    },
  )
  .command(
    'coldstart',
    'user cold start (histories cut to 1/3/5 items) and item cold start (10 % of the items with content unseen in training) for every model, params from the bench report; writes benchmarks/reports/coldstart-<dataset>.{json,md}',
    (y) =>
      y
        .option('dataset', { type: 'array', string: true, demandOption: true, describe: 'dataset(s): lastfm-2k, spotify-playlists, synthetic' })
        .option('models', { type: 'array', string: true, describe: 'models (default: all registered)' })
        .option('seed', { type: 'number', describe: "seed of the split and the draws (default: the bench report's, else 42)" })
        .option('max-users', { type: 'number', default: COLD_START_DEFAULTS.maxUsers, describe: 'users cut (a seeded sample)' })
        .option('min-train-items', { type: 'number', default: COLD_START_DEFAULTS.minTrainItems, describe: 'only users with at least this many training items are cut' })
        .option('levels', { type: 'array', number: true, default: COLD_START_DEFAULTS.levels, describe: 'history lengths the users are cut to' })
        .option('item-fraction', { type: 'number', default: COLD_START_DEFAULTS.itemFraction, describe: 'share of the items with content made cold (0 = no item cold start)' })
        .option('reports', { type: 'string', default: join(root, 'benchmarks', 'reports'), describe: 'where <dataset>.json with the tuned params is read' })
        .option('out', { type: 'string', describe: 'output directory (default: --reports)' })
        .option('data-dir', { type: 'string', describe: 'data directory (else $MUSICREC_DATA_DIR, else datasets/cache)' })
        .option('in-process', { type: 'boolean', default: false, describe: 'run models in this process' }),
    async (args) => {
      const models = args.models?.length ? args.models : MODEL_REGISTRY.map((m) => m.name);
      for (const name of args.dataset) {
        const t0 = performance.now();
        const report = await runColdStart({
          dataset: { name, dataDir: args.dataDir },
          models,
          reportsDir: resolve(args.reports),
          outDir: resolve(args.out ?? args.reports),
          seed: args.seed,
          conditions: { levels: args.levels, minTrainItems: args.minTrainItems, maxUsers: args.maxUsers, itemFraction: args.itemFraction },
          inProcess: args.inProcess,
        });
        process.stdout.write(`\n${renderColdStartMarkdown(report)}\n`);
        console.error(`coldstart ${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        if (report.failures?.length) process.exitCode = 1;
      }
    },
  )
  .command(
    'mmr-curve <dataset>',
    'add the MMR λ curve (over the report\'s iALS row, else item-kNN-all) to benchmarks/reports/<dataset>.json and re-render it',
    (y) =>
      y
        .positional('dataset', { type: 'string', demandOption: true })
        .option('reports', { type: 'string', default: join(root, 'benchmarks', 'reports'), describe: 'report directory' })
        .option('base', { type: 'string', describe: 'base model (default: ials, else item-knn-all); params from its report row' })
        .option('data-dir', { type: 'string' }),
    async (args) => {
      const file = join(args.reports, `${args.dataset}.json`);
      const report = validateReport(JSON.parse(await readFile(file, 'utf8')), file);
      const ds = await loadSpec({ name: args.dataset, dataDir: args.dataDir });
      const base = pickMmrBase(report.rows, args.base);
      console.error(`MMR curve over ${base.entry.name} on ${args.dataset} (${report.protocol} split, seed ${report.seed})`);
      const curve = await mmrCurve(ds, makeSplit(ds, report.protocol, report.seed), base, report.seed);
      if (!curve) throw new Error(`${args.dataset} has no item content (audio or tags) to diversify on`);
      await writeReport({ ...report, curves: { ...report.curves, mmr: curve } }, args.reports);
      for (const p of curve.points) {
        console.log(`λ ${p.lambda.toFixed(2)}  NDCG@10 ${p.ndcg10.toFixed(4)}  ILS@10 ${p.ils10?.toFixed(4) ?? '–'}  coverage ${p.coverage.toFixed(4)}`);
      }
      console.log(`written to ${join(args.reports, args.dataset)}.{json,md,html}`);
    },
  )
  .command(
    'scale',
    'fit time and peak memory of each model on synthetic data at 1e5, 1e6, 1e7 interactions (one child process per cell)',
    (y) =>
      y
        .option('models', { type: 'array', string: true, describe: 'models (default: all registered)' })
        .option('sizes', { type: 'array', string: true, default: Object.keys(SCALE_SIZES), choices: Object.keys(SCALE_SIZES) })
        .option('timeout', { type: 'number', default: 600, describe: 'seconds per cell before it is recorded as a timeout' })
        .option('params', { type: 'string', describe: 'JSON of per-model overrides, e.g. {"bpr":{"epochs":10}}' })
        .option('out', { type: 'string', default: join(root, 'benchmarks', 'reports', 'scaling.json') }),
    async (args) => {
      const models = args.models?.length ? args.models : MODEL_REGISTRY.map((m) => m.name);
      const overrides = (args.params ? JSON.parse(args.params) : {}) as Record<string, Record<string, unknown>>;
      const cells: ScaleCell[] = [];
      for (const size of args.sizes) {
        for (const model of models) {
          const cell = await runScaleCell({ model, synthetic: SCALE_SIZES[size], params: overrides[model] ?? {} }, size, args.timeout);
          console.error(`${size} ${model}: ${cell.status} ${cell.fitSeconds?.toFixed(2) ?? ''} s ${cell.peakRssMb?.toFixed(0) ?? ''} MB ${cell.reason ?? ''}`);
          cells.push(cell);
        }
      }
      const doc = { schema: 1, createdAt: new Date().toISOString(), sizes: Object.fromEntries(args.sizes.map((s) => [s, SCALE_SIZES[s]])), overrides, cells };
      await writeFile(args.out, JSON.stringify(doc, null, 2) + '\n');
      await writeFile(args.out.replace(/\.json$/, '.md'), renderScaleTable(cells, args.sizes) + '\n');
      console.log(renderScaleTable(cells, args.sizes));
    },
  )
  .command(
    'quality <dataset>',
    'data-quality report of the catalog: ranges, missing values per column, IQR outliers, correlations',
    (y) =>
      y
        .positional('dataset', { type: 'string', demandOption: true })
        .option('data-dir', { type: 'string' })
        .option('json', { type: 'string', describe: 'also write the report as JSON to this file' }),
    async (args) => {
      const ds = await loadSpec({ name: args.dataset, dataDir: args.dataDir });
      const report = dataQualityReport(ds.catalog);
      console.log(formatQualityReport(report));
      if (args.json) await writeFile(args.json, JSON.stringify(report, null, 2) + '\n');
    },
  )
  .command(
    'stats <dataset>',
    'dataset statistics: counts, density, per-user/per-item quantiles, Gini of item popularity',
    (y) =>
      y
        .positional('dataset', { type: 'string', demandOption: true })
        .option('data-dir', { type: 'string' })
        .option('json', { type: 'boolean', default: false }),
    async (args) => {
      const ds = await loadSpec({ name: args.dataset, dataDir: args.dataDir });
      const stats = datasetStats(ds.interactions);
      console.log(args.json ? JSON.stringify({ stats, loadReport: ds.loadReport }, null, 2) : formatStats(stats));
    },
  )
  .command(
    'split <dataset>',
    'make the bench split and export it as CSV (train/validation/test) so outside libraries use the same split',
    (y) =>
      y
        .positional('dataset', { type: 'string', demandOption: true })
        .option('export', { type: 'string', demandOption: true, describe: 'output directory' })
        .option('protocol', { type: 'string', default: 'holdout', choices: ['holdout', 'leave-last-out'] })
        .option('seed', { type: 'number', default: 42 })
        .option('data-dir', { type: 'string' }),
    async (args) => {
      const ds = await loadSpec({ name: args.dataset, dataDir: args.dataDir });
      const split = makeSplit(ds, args.protocol, args.seed);
      await exportSplitCsv(split, args.export);
      console.log(`split written to ${args.export} (train ${split.train.nnz}, validation ${split.validation.nnz}, test ${split.test.nnz})`);
    },
  )
  .command(
    'score-recs <dataset>',
    'score outside recommendations (CSV user,item,rank with the dataset ids) on the bench split with the same metrics',
    (y) =>
      y
        .positional('dataset', { type: 'string', demandOption: true })
        .option('recs', { type: 'string', demandOption: true })
        .option('k', { type: 'number', default: 20 })
        .option('protocol', { type: 'string', default: 'holdout', choices: ['holdout', 'leave-last-out'] })
        .option('seed', { type: 'number', default: 42 })
        .option('data-dir', { type: 'string' }),
    async (args) => {
      const ds = await loadSpec({ name: args.dataset, dataDir: args.dataDir });
      const split = makeSplit(ds, args.protocol, args.seed);
      const { recs, users, report } = await readRecommendationsCsv(args.recs, split.test, args.k);
      const result = evaluateRankings(recs, users, split.test);
      console.log(JSON.stringify({ read: report, usersEvaluated: result.nUsersEvaluated, metrics: result.perK }, null, 2));
    },
  )
  .command(hnswTradeoffCommand)
  .command(
    'datasets',
    'list the datasets the bench knows',
    () => {},
    () => {
      for (const d of listDatasets()) console.log(`${d.name.padEnd(20)} ${d.description}`);
    },
  )
  .demandCommand(1, 'name a command; see --help')
  .strict()
  .help()
  .fail((msg, err, y) => {
    if (err) {
      console.error(`error: ${err.message}`);
    } else {
      y.showHelp();
      console.error(`\n${msg}`);
    }
    process.exit(1);
  })
  .parseAsync();
