import { ConfigError, isSequenceRecommender, type Dataset, type Interactions, type Recommender } from '@musicrec/core';
import { leaveLastOutSequences, type SequenceSplit } from '@musicrec/data';
import type { ReportRow } from '@musicrec/eval';
import { evaluateNextItem, interactionsFromSequences, measureLatency, measureLatencyAsync, runSequentialBench } from '@musicrec/eval';
import { OnnxScorer, OnnxTopKScorer } from '@musicrec/retrieval';
import { entryParams, onnxExport, type ModelEntry } from './registry';
import type { RowOptions } from './runModel';
import { fullRowLatency, onnxServedRow, tfBackendOf } from './runModel';

/** The child-job protocol name of next-item rows (leave-last-out over dataset.sequences). */
export const SEQUENCES_PROTOCOL = 'sequences';

/**
 * One row of the leave-last-out (next-item) leaderboard: `runSequentialBench` fits the model
 * on the sequences without their last two events (SASRec stops early on the second-to-last),
 * ranks every item after the input of all but the last event, input items excluded.
 * Fixed params only: the sequential protocol has one validation target per user, which the
 * sequential models use for early stopping; the other rows are the same models as on holdout.
 */
export async function runSequentialRows(entry: ModelEntry, dataset: Dataset, options: RowOptions): Promise<ReportRow[]> {
  const log = options.onProgress ?? (() => {});
  const params = { ...entryParams(entry, dataset.name), ...(options.quick ? (entry.quickParams ?? {}) : {}) };
  log(`fitting ${entry.name} on the leave-last-out sequences`);
  const result = await runSequentialBench(dataset, entry.factory, {
    seed: options.seed,
    params,
    onProgress: (e) => log(`  ${e.stage} ${e.current}/${e.total}${e.metrics ? ' ' + JSON.stringify(e.metrics) : ''}`),
  });
  const split = leaveLastOutSequences(dataset.sequences!);
  const { userIds, itemIds, nItems } = dataset.interactions;
  const input = interactionsFromSequences(split.fullTrain, userIds, itemIds);
  const targets: number[] = [];
  for (let u = 0; u < split.testTarget.length && targets.length < options.latencyUsers; u++) {
    if (split.testTarget[u] >= 0) targets.push(u);
  }
  const latency = await measureLatency(result.model, { users: Int32Array.from(targets), nItems, exclude: input, k: 10 });
  const row: ReportRow = {
    model: entry.name,
    params: { ...result.params },
    backend: tfBackendOf(result.params, result.details),
    inference: 'ts',
    protocol: 'leave-last-out',
    metrics: result.metrics,
    beyond: result.beyond,
    fitSeconds: result.fitSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
    throughputUsersPerSec: latency.throughputUsersPerSec,
    extra: { usersEvaluated: result.nUsersEvaluated, trainedOn: 'sequences', ...result.details },
  };
  if (!entry.onnxRow) return [row];
  return [row, await sequentialOnnxRow(entry, result.model, row, split, input, dataset, options)];
}

/**
 * The same trained sequence model served through its ONNX graph: each user's input window
 * (`historyWindow`) goes through onnxruntime (cuda → webgpu → cpu), the scores are evaluated
 * by the same next-item code, and one-user requests are timed on the session.
 */
async function sequentialOnnxRow(
  entry: ModelEntry,
  model: Recommender,
  tsRow: ReportRow,
  split: SequenceSplit,
  input: Interactions,
  dataset: Dataset,
  options: RowOptions,
): Promise<ReportRow> {
  const log = options.onProgress ?? (() => {});
  if (!isSequenceRecommender(model)) {
    throw new ConfigError(`${entry.name}: an ONNX row on the next-item board needs a SequenceRecommender (its history windows are the graph's input), and ${model.name} is not one`);
  }
  log(`exporting ${entry.name} to ONNX`);
  const t0 = performance.now();
  const bytes = onnxExport(model);
  const scorer = await OnnxScorer.create(bytes);
  const { nItems } = dataset.interactions;
  const windowLength = model.historyWindow(0).length;
  const windows = (users: Int32Array): BigInt64Array => {
    const ids = new BigInt64Array(users.length * windowLength);
    for (let b = 0; b < users.length; b++) ids.set(model.historyWindow(users[b]), b * windowLength);
    return ids;
  };
  // requests on a one-thread top-k session, batches on the pool (as OnnxRecommender serves)
  const requestScorer = await OnnxTopKScorer.create(bytes, { providers: [scorer.provider], intraOpNumThreads: 1, nItems });
  const score = (users: Int32Array): Promise<Float32Array> => scorer.scoreInput(windows(users), [users.length, windowLength]);
  try {
    // evaluateNextItem scores synchronously: fill a table for the evaluated users first
    const evaluated = Int32Array.from([...split.testTarget.keys()].filter((u) => split.testTarget[u] >= 0));
    const rowOf = new Int32Array(split.testTarget.length).fill(-1);
    evaluated.forEach((u, r) => (rowOf[u] = r));
    const table = new Float32Array(evaluated.length * nItems);
    for (let start = 0; start < evaluated.length; start += 256) {
      const batch = evaluated.subarray(start, Math.min(evaluated.length, start + 256));
      table.set(await score(batch), start * nItems);
    }
    const exportSeconds = (performance.now() - t0) / 1000;
    const served = {
      scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
        const result = out ?? new Float32Array(users.length * nItems);
        for (let b = 0; b < users.length; b++) {
          const r = rowOf[users[b]];
          if (r < 0) throw new ConfigError(`${entry.name}-onnx: user ${users[b]} has no next-item target and was not scored`);
          result.set(table.subarray(r * nItems, (r + 1) * nItems), b * nItems);
        }
        return result;
      },
    };
    const evaluation = evaluateNextItem(served, { testTarget: split.testTarget, exclude: split.fullTrain, nItems }, { catalog: dataset.catalog });
    const timing = { users: evaluated.subarray(0, Math.min(options.latencyUsers, evaluated.length)), nItems, exclude: input, k: 10 };
    const latency = await measureLatencyAsync(
      {
        recommend: (u, k, seen) => requestScorer.recommendInput(windows(Int32Array.of(u)), [1, windowLength], k, seen ? () => seen : undefined),
        scoreBatch: score,
      },
      timing,
    );
    const fullRow = await fullRowLatency(bytes, scorer.provider, timing, (users) => ({ data: windows(users), dims: [users.length, windowLength] }));
    return onnxServedRow(tsRow, entry.name, scorer.inference, evaluation, latency, {
      provider: scorer.provider,
      tried: scorer.tried,
      exportAndScoreAllSeconds: exportSeconds,
      graphBytes: bytes.length,
      request: 'top-k graph (TopK node, k + seen items fetched), one thread',
      fullRowLatencyMs: fullRow,
    });
  } finally {
    await scorer.release();
    await requestScorer.release();
  }
}
