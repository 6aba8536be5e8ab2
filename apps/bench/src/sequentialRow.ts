import type { Dataset } from '@musicrec/core';
import { leaveLastOutSequences } from '@musicrec/data';
import type { ReportRow } from '@musicrec/eval';
import { interactionsFromSequences, measureLatency, runSequentialBench } from '@musicrec/eval';
import { entryParams, type ModelEntry } from './registry';
import type { RowOptions } from './runModel';
import { tfBackendOf } from './runModel';

/** The child-job protocol name of next-item rows (leave-last-out over dataset.sequences). */
export const SEQUENCES_PROTOCOL = 'sequences';

/**
 * One row of the leave-last-out (next-item) leaderboard: `runSequentialBench` fits the model
 * on the sequences without their last two events (SASRec stops early on the second-to-last),
 * ranks every item after the input of all but the last event, input items excluded.
 * Fixed params only: the sequential protocol has one validation target per user, which the
 * sequential models use for early stopping; the other rows are the same models as on holdout.
 */
export async function runSequentialRow(entry: ModelEntry, dataset: Dataset, options: RowOptions): Promise<ReportRow> {
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
  return {
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
}
