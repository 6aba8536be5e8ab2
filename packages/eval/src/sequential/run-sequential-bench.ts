import { ConfigError } from '@musicrec/core';
import type { Dataset, FitContext, ProgressListener, Recommender, RecommenderFactory } from '@musicrec/core';
import { leaveLastOutSequences } from '@musicrec/data';
import type { SequenceSplit } from '@musicrec/data';
import type { RankingMetrics } from '../metrics/ranking';
import type { BeyondAccuracy } from '../beyond/beyond-accuracy';
import { evaluateNextItem } from './evaluate-next-item';
import { interactionsFromSequences } from './sequence-interactions';

/** A model that trains on a leave-last-out SequenceSplit itself (SASRec's `fitSequences`). */
export interface SequenceFittable {
  fitSequences(split: SequenceSplit, ctx: { seed: number; nItems: number; onProgress?: ProgressListener }): Promise<void>;
}

export function isSequenceFittable(model: object): model is SequenceFittable {
  return typeof (model as Partial<SequenceFittable>).fitSequences === 'function';
}

export interface SequentialBenchOptions {
  seed: number;
  /** Passed to `factory.create`. */
  params?: Record<string, unknown>;
  ks?: readonly number[];
  batchSize?: number;
  onProgress?: ProgressListener;
}

export interface SequentialBenchResult {
  protocol: 'leave-last-out';
  model: Recommender;
  params: Readonly<Record<string, unknown>>;
  /** Keyed by String(K), the holdout evaluator's metrics. */
  metrics: Record<string, RankingMetrics>;
  beyond: BeyondAccuracy;
  nUsersEvaluated: number;
  fitSeconds: number;
  /** The model's `describe()` (backend, epochs, validation score...), {} when it has none. */
  details: Record<string, unknown>;
}

/**
 * The leave-last-out row of the bench, end to end: split `dataset.sequences` per user into
 * train (all but the last two events), validation target (second to last) and test target
 * (last); fit; rank every item after the full-train input (all but the last event), input
 * items excluded (see `evaluateNextItem`).
 *
 * - A sequential model (`fitSequences`) gets the whole SequenceSplit: train sequences to learn
 *   from, validation targets to stop on, full-train sequences to score from.
 * - Any other Recommender (popularity, item-kNN...) is fitted once on the full-train events as
 *   a users × items matrix with the given params (no tuning, no early stopping), and scores
 *   users from that matrix: the same input events, without their order.
 * Neither ever sees a test target.
 */
export async function runSequentialBench(
  dataset: Dataset,
  factory: Pick<RecommenderFactory, 'create'>,
  options: SequentialBenchOptions,
): Promise<SequentialBenchResult> {
  const sequences = dataset.sequences;
  if (!sequences) {
    throw new ConfigError(`leave-last-out needs time-ordered sequences and dataset "${dataset.name}" has none`);
  }
  const { userIds, itemIds, nItems } = dataset.interactions;
  if (sequences.indptr.length - 1 !== userIds.length) {
    throw new ConfigError(
      `dataset "${dataset.name}" has sequences for ${sequences.indptr.length - 1} users but ${userIds.length} users in its interactions`,
    );
  }
  const split = leaveLastOutSequences(sequences);
  const model = factory.create(options.params ?? {});
  const started = performance.now();
  if (isSequenceFittable(model)) {
    await model.fitSequences(split, { seed: options.seed, nItems, onProgress: options.onProgress });
  } else {
    const ctx: FitContext = { seed: options.seed, catalog: dataset.catalog, onProgress: options.onProgress };
    await model.fit(interactionsFromSequences(split.fullTrain, userIds, itemIds), ctx);
  }
  const fitSeconds = (performance.now() - started) / 1000;
  const evaluation = evaluateNextItem(
    model,
    { testTarget: split.testTarget, exclude: split.fullTrain, nItems },
    { ks: options.ks, batchSize: options.batchSize, catalog: dataset.catalog },
  );
  return {
    protocol: 'leave-last-out',
    model,
    params: model.params,
    metrics: evaluation.ranking.perK,
    beyond: evaluation.beyond,
    nUsersEvaluated: evaluation.ranking.nUsersEvaluated,
    fitSeconds,
    details: model.describe?.() ?? {},
  };
}
