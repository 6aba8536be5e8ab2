import type { Dataset, Interactions, Recommender, Split } from '@musicrec/core';
import type { ReportRow } from '@musicrec/eval';
import { BACKENDS, evaluateModel, historyBucketsOf, measureLatency, measureLatencyAsync, servingFromScorer, tuneModel, warmItemsView } from '@musicrec/eval';
import type { LatencyResult } from '@musicrec/eval';
import { OnnxRecommender, OnnxScorer } from '@musicrec/retrieval';
import type { OnnxProvider } from '@musicrec/retrieval';
import { hnswRow } from './hnswRow';
import { ratingEvaluation } from './ratings';
import { entryParams, onnxExport, type ModelEntry } from './registry';

export interface RowOptions {
  seed: number;
  /** Tuning trials on the validation fold (0 = use the entry's params as they are). */
  tuneBudget: number;
  quick: boolean;
  /** Users timed one by one for the latency percentiles. */
  latencyUsers: number;
  onProgress?: (message: string) => void;
}

/** Interactions the entry trains on: the dataset's weights, or binary (the default protocol). */
export function trainingView(m: Interactions, entry: ModelEntry): Interactions {
  return entry.usesWeights ? m : m.binarize();
}

/**
 * One leaderboard row: tune on (train → validation), refit on train ∪ validation with the
 * chosen parameters, rank every test user over the whole catalogue with their training
 * items excluded, measure beyond-accuracy and latency.
 */
export async function runModelRow(
  entry: ModelEntry,
  dataset: Dataset,
  split: Split,
  options: RowOptions,
): Promise<{ row: ReportRow; model: Recommender; extraRows: ReportRow[] }> {
  const log = options.onProgress ?? (() => {});
  const fixed = { ...entryParams(entry, dataset.name), ...(options.quick ? (entry.quickParams ?? {}) : {}) };
  const train = trainingView(split.train, entry);
  const fullTrain = trainingView(split.fullTrain, entry);
  const viewSplit: Split = { ...split, train, fullTrain };

  let chosen: Record<string, unknown> = fixed;
  let tuning: Record<string, unknown> | undefined;
  let kept: { model: Recommender; fitSeconds: number } | undefined;
  const budget = Math.max(1, Math.min(options.tuneBudget, entry.maxTrials ?? Infinity));
  const searched = entry.searchSpace && options.tuneBudget > 0;
  if (searched || entry.validationFit || entry.refit === false) {
    // without a search, one validation fit still finds the early-stopping epoch
    const space = searched ? entry.searchSpace! : {};
    log(`tuning ${entry.name} on the validation fold (budget ${budget})`);
    const result = await tuneModel(entry.factory, space, viewSplit, {
      budget,
      seed: options.seed,
      fixed,
      onTrial: (t) => log(`  trial ${JSON.stringify(t.params)} → NDCG@10 ${t.score.toFixed(4)}`),
      keepBestModel: entry.refit === false,
      ctx: {
        catalog: dataset.catalog,
        dataset,
        onProgress: (e) => log(`  ${e.stage} ${e.current}/${e.total}${e.metrics ? ' ' + JSON.stringify(e.metrics) : ''}`),
      },
    });
    chosen = { ...result.best };
    if (result.bestModel) {
      const best = result.trials.find((t) => t.score === result.bestScore)!;
      kept = { model: result.bestModel, fitSeconds: best.fitSeconds };
    }
    // what the model chose on validation (an early-stopped epoch count, tuned blend weights) goes into the refit
    const refitParams = result.bestRefitParams;
    Object.assign(chosen, refitParams);
    tuning = {
      trials: result.trials.length,
      bestValidationNdcg10: result.bestScore,
      ...(searched ? { space: entry.searchSpace } : {}),
      ...(Object.keys(refitParams).length > 0 ? { refitParams } : {}),
    };
  }

  let model: Recommender;
  let fitSeconds: number;
  if (kept) {
    // refit: false — the model early-stopped on validation is the one evaluated (see ModelEntry.refit)
    model = kept.model;
    fitSeconds = kept.fitSeconds;
  } else {
    log(`fitting ${entry.name} on train ∪ validation`);
    model = entry.factory.create(chosen);
    const t0 = performance.now();
    await model.fit(fullTrain, {
      seed: options.seed,
      catalog: dataset.catalog,
      dataset,
      onProgress: (e) => log(`  ${e.stage} ${e.current}/${e.total}${e.metrics ? ' ' + JSON.stringify(e.metrics) : ''}`),
    });
    fitSeconds = (performance.now() - t0) / 1000;
  }

  log(`evaluating ${entry.name}`);
  const evaluation = evaluateModel(model, { fullTrain, test: split.test }, { catalog: dataset.catalog });
  const latencyUsers = evaluation.users.subarray(0, Math.min(options.latencyUsers, evaluation.users.length));
  const latency = await measureLatency(model, {
    users: latencyUsers,
    nItems: fullTrain.nItems,
    exclude: fullTrain,
    k: 10,
  });
  const rating = entry.ratingModel ? await ratingEvaluation(entry, fixed, dataset, options.seed) : undefined;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const described = model.describe ? model.describe() : {};
  const row: ReportRow = {
    model: entry.name,
    params: { ...model.params },
    backend: tfBackendOf(model.params, described),
    inference: 'ts',
    protocol: split.protocol,
    metrics: evaluation.ranking.perK,
    beyond: evaluation.beyond,
    fitSeconds,
    peakRssMb,
    latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
    throughputUsersPerSec: latency.throughputUsersPerSec,
    byHistory: historyBucketsOf(evaluation.recs, evaluation.users, fullTrain, split.test),
    warmItems: warmItemsView(model, { fullTrain, test: split.test }, evaluation.recs),
    extra: {
      usersEvaluated: evaluation.ranking.nUsersEvaluated,
      trainedOn: entry.usesWeights ? 'weights' : 'binary',
      fittedOn: kept ? 'train (early-stopped on validation, not refitted)' : 'train ∪ validation',
      ...(tuning ? { tuning } : {}),
      ...(rating ? { rating } : {}),
      ...described,
    },
  };
  const extraRows = entry.onnxRow ? [await onnxRow(entry, model, row, dataset, split, options)] : [];
  if (entry.hnswRow) extraRows.push(await hnswRow(entry.name, model, row, dataset, { fullTrain, test: split.test }, entry.hnswRow, options));
  return { row, model, extraRows };
}

/** The TF.js backend a neural model trained on (its resolved `backend` param), null otherwise. */
export function tfBackendOf(params: Readonly<Record<string, unknown>>, described: Record<string, unknown>): ReportRow['backend'] {
  // params.backend may be a request ('auto'); describe() says what actually ran
  for (const name of [params.backend, described.backend]) {
    if ((BACKENDS as readonly unknown[]).includes(name)) return name as ReportRow['backend'];
  }
  return null;
}

/**
 * The same trained model served through its exported ONNX graph: scores every test user
 * through onnxruntime (cuda → webgpu → cpu, the provider that ran is recorded), evaluates
 * those scores with the same code, and times one-user requests on the top-k session
 * (`OnnxRecommender.recommendAsync`). The record also holds the latency of the same request
 * answered with a full score row (one-thread session on the plain scorer graph + JS top-k),
 * so the report shows what the graph's TopK node is worth.
 */
async function onnxRow(
  entry: ModelEntry,
  model: Recommender,
  tsRow: ReportRow,
  dataset: Dataset,
  split: Split,
  options: RowOptions,
): Promise<ReportRow> {
  const log = options.onProgress ?? (() => {});
  const fullTrain = trainingView(split.fullTrain, entry);
  log(`exporting ${entry.name} to ONNX`);
  const t0 = performance.now();
  const bytes = onnxExport(model);
  const served = await new OnnxRecommender(model, onnxExport).attach(fullTrain.nUsers, fullTrain.nItems, bytes);
  const exportSeconds = (performance.now() - t0) / 1000;
  try {
    const evaluation = evaluateModel(served, { fullTrain, test: split.test }, { catalog: dataset.catalog });
    const latencyUsers = evaluation.users.subarray(0, Math.min(options.latencyUsers, evaluation.users.length));
    const timing = { users: latencyUsers, nItems: fullTrain.nItems, exclude: fullTrain, k: 10 };
    const latency = await measureLatencyAsync(
      { recommend: (u, k, seen) => served.recommendAsync(u, k, seen), scoreBatch: (users) => served.scoreUsersAsync(users) },
      timing,
    );
    const fullRow = await fullRowLatency(bytes, served.provider, timing);
    return {
      ...onnxServedRow(tsRow, entry.name, served.inference, evaluation, latency, {
        provider: served.inference,
        tried: served.tried,
        exportAndScoreAllSeconds: exportSeconds,
        graphBytes: bytes.length,
        request: 'top-k graph (TopK node, k + seen items fetched), one thread',
        fullRowLatencyMs: fullRow,
      }),
      byHistory: historyBucketsOf(evaluation.recs, evaluation.users, fullTrain, split.test),
      warmItems: warmItemsView(served, { fullTrain, test: split.test }, evaluation.recs),
    };
  } finally {
    await served.release();
  }
}

/**
 * p50 / p99 of one request answered from a full score row: the plain scorer graph on a
 * one-thread session, the row copied out, top-k in JS (the request path before the TopK node).
 */
export async function fullRowLatency(
  bytes: Uint8Array,
  provider: OnnxProvider,
  timing: Parameters<typeof measureLatencyAsync>[1],
  input?: (users: Int32Array) => { data: BigInt64Array; dims: number[] },
): Promise<Pick<LatencyResult, 'p50' | 'p99'>> {
  const scorer = await OnnxScorer.create(bytes, { providers: [provider], intraOpNumThreads: 1 });
  try {
    const score = (users: Int32Array): Promise<Float32Array> => {
      if (!input) return scorer.scoreUsers(users);
      const { data, dims } = input(users);
      return scorer.scoreInput(data, dims);
    };
    const r = await measureLatencyAsync(servingFromScorer(score, timing.nItems), timing);
    return { p50: r.p50, p99: r.p99 };
  } finally {
    await scorer.release();
  }
}

/** The report row of a model served through ONNX: the TS row with the ONNX run's metrics, latency and export record. */
export function onnxServedRow(
  tsRow: ReportRow,
  name: string,
  inference: ReportRow['inference'],
  evaluation: { ranking: { perK: ReportRow['metrics'] }; beyond: ReportRow['beyond'] },
  latency: { p50: number; p95: number; p99: number; throughputUsersPerSec: number },
  onnx: Record<string, unknown>,
): ReportRow {
  return {
    ...tsRow,
    model: `${name}-onnx`,
    inference,
    metrics: evaluation.ranking.perK,
    beyond: evaluation.beyond,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
    throughputUsersPerSec: latency.throughputUsersPerSec,
    extra: { ...tsRow.extra, onnx },
  };
}
