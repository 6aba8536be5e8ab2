import { readFile } from 'node:fs/promises';
import { ConfigError, DataError, isDisposable } from '@musicrec/core';
import type { Dataset, Interactions, ProgressListener } from '@musicrec/core';
import { writeArtifact } from './artifact-io';
import type { ArtifactManifest } from './format';
import { modelFactory } from './model-table';
import { datasetDigests, musicrecVersion } from './provenance';

/** A leaderboard row's recipe as a report keeps it: name, resolved params, what it trained on, metrics. */
export interface ReportRowRecipe {
  file: string;
  row: string;
  params: Record<string, unknown>;
  weights: 'binary' | 'weights';
  createdAt?: string;
  metrics: Record<string, unknown>;
}

/**
 * The row named `row` of a leaderboard report (`benchmarks/reports/<dataset>.json`): its params
 * (the resolved ones the bench refitted with), whether it trained on weights, its metrics.
 */
export async function reportRowRecipe(file: string, row: string): Promise<ReportRowRecipe> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read the report: ${(e as Error).message}`, { file });
  }
  const rows = (doc as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) throw new DataError('not a leaderboard report (no "rows" array)', { file, field: 'rows' });
  const found = rows.find((r) => (r as { model?: unknown }).model === row) as
    | { params?: unknown; metrics?: unknown; extra?: { trainedOn?: unknown } }
    | undefined;
  if (!found) {
    const names = rows.map((r) => (r as { model?: unknown }).model).join(', ');
    throw new DataError(`no row "${row}" in this report; its rows: ${names}`, { file, field: 'rows' });
  }
  if (typeof found.params !== 'object' || found.params === null) throw new DataError(`row "${row}" has no params`, { file, field: `rows.${row}.params` });
  return {
    file,
    row,
    params: found.params as Record<string, unknown>,
    weights: found.extra?.trainedOn === 'weights' ? 'weights' : 'binary',
    createdAt: (doc as { createdAt?: string }).createdAt,
    metrics: (found.metrics ?? {}) as Record<string, unknown>,
  };
}

export interface TrainArtifactOptions {
  dataset: Dataset;
  /** The model class to fit (a `MODEL_FACTORIES` name). */
  loader: string;
  /** Its leaderboard name (default: `loader`). */
  row?: string;
  params?: Record<string, unknown>;
  /** Fit on play counts or on binary interactions (the bench's default). */
  weights?: 'binary' | 'weights';
  /** What to fit on; default the dataset's interactions. `split` says where it came from. */
  train?: Interactions;
  split?: { protocol: string; seed: number };
  seed?: number;
  /** The report row the params came from (its metrics go into artifact.json). */
  fromReport?: ReportRowRecipe;
  out: string;
  onProgress?: ProgressListener;
}

/** Fits one model and writes it as an artifact folder; returns its manifest. */
export async function trainArtifact(options: TrainArtifactOptions): Promise<ArtifactManifest> {
  const { dataset } = options;
  const seed = options.seed ?? 42;
  const factory = modelFactory(options.loader);
  const weights = options.weights ?? 'binary';
  if (weights !== 'binary' && weights !== 'weights') throw new ConfigError(`trainArtifact: weights must be "binary" or "weights", got ${JSON.stringify(weights)}`);
  const source = options.train ?? dataset.interactions;
  const train = weights === 'binary' ? source.binarize() : source;
  const model = factory.create(options.params ?? {});
  const t0 = performance.now();
  await model.fit(train, { seed, catalog: dataset.catalog, dataset, onProgress: options.onProgress });
  const fitSeconds = (performance.now() - t0) / 1000;
  const fromReport = options.fromReport;
  try {
    return await writeArtifact(options.out, {
      model,
      train,
      catalog: dataset.catalog,
      manifest: {
        model: options.row ?? options.loader,
        dataset: { name: dataset.name, files: await datasetDigests(dataset) },
        fittedOn: { interactions: options.train ? 'split-train' : 'all', weights, seed, ...(options.split ? { split: options.split } : {}) },
        musicrec: musicrecVersion(),
        createdAt: new Date().toISOString(),
        fitSeconds,
        ...(fromReport ? { fromReport: { file: fromReport.file, row: fromReport.row, createdAt: fromReport.createdAt, metrics: fromReport.metrics } } : {}),
      },
    });
  } finally {
    if (isDisposable(model)) model.dispose();
  }
}
