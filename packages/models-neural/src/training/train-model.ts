import * as tf from '@tensorflow/tfjs-core';
import { ModelFitError } from '@musicrec/core';
import type { ProgressListener } from '@musicrec/core';
import { AdjustableAdam } from './adjustable-adam';
import { clipByGlobalNorm } from './gradient-clipping';
import type { TrainConfig } from './train-config';
import type { EpochRecord, TrainableModel, TrainResult } from './trainable-model';
import { restoreVariables, snapshotVariables } from './variable-snapshot';

export interface TrainModelArgs {
  model: TrainableModel;
  /** The batches of one epoch (1-based epoch number, so a model can re-sample per epoch). */
  batches: (epoch: number) => Iterable<unknown>;
  /** Validation score of the model as it is now, higher is better (e.g. NDCG@10); enables early stopping. */
  validate?: () => number;
  config: TrainConfig;
  onProgress?: ProgressListener;
  /** Shown in progress events as `fit <label>`. */
  label?: string;
  /** Examples in a batch (default: its `length`, or its `size`, else 1). */
  batchExamples?: (batch: unknown) => number;
}

function defaultBatchExamples(batch: unknown): number {
  const b = batch as { length?: unknown; size?: unknown } | null;
  if (typeof b?.length === 'number') return b.length;
  if (typeof b?.size === 'number') return b.size;
  return 1;
}

/** `epoch 3/20 loss 0.3412 val 0.1234 lr 1e-3`: the progress line (bars show only the message). */
function epochMessage(r: EpochRecord, epochs: number): string {
  const val = Number.isNaN(r.score) ? '' : ` val ${r.score.toFixed(4)}`;
  return `epoch ${r.epoch}/${epochs} loss ${r.loss.toFixed(4)}${val} lr ${r.learningRate.toPrecision(2)}`;
}

/**
 * The training loop every neural model shares: Adam with global-norm gradient clipping,
 * validation after each epoch with early stopping (`patience`) and learning-rate reduction on
 * a plateau (`lrPatience`, `lrFactor`, `minLearningRate`), the best epoch's weights restored
 * at the end, one progress event per epoch. Without `validate` it runs all epochs and keeps
 * the last weights. Every tensor it creates is disposed (the optimizer's state included).
 */
export async function trainModel(args: TrainModelArgs): Promise<TrainResult> {
  const { model, config, validate } = args;
  const countExamples = args.batchExamples ?? defaultBatchExamples;
  const stage = `fit ${args.label ?? 'model'}`;
  const optimizer = new AdjustableAdam(config.learningRate);
  const history: EpochRecord[] = [];
  let best: Float32Array[] | null = null;
  let bestEpoch = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let sinceBest = 0;
  let sinceLrChange = 0;
  let trainSeconds = 0;
  let trainExamples = 0;
  args.onProgress?.({ stage, current: 0, total: config.epochs, message: `${model.variables.length} variables` });
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      // the epoch's loss is summed on the device and read once, so a GPU backend never waits per batch
      let lossSum: tf.Scalar = tf.scalar(0);
      let examples = 0;
      for (const batch of args.batches(epoch)) {
        const n = countExamples(batch);
        const next = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => model.loss(batch, true), model.variables);
          // Adam reads the gradient map by variable name; its typing says Variable where any Tensor works
          optimizer.applyGradients(clipByGlobalNorm(grads, config.clipNorm) as Record<string, tf.Variable>);
          return tf.add(lossSum, tf.mul(value, n)) as tf.Scalar;
        });
        lossSum.dispose();
        lossSum = next;
        examples += n;
      }
      const loss = examples > 0 ? (await lossSum.data())[0] / examples : Number.NaN;
      lossSum.dispose();
      const seconds = (performance.now() - started) / 1000;
      if (examples > 0 && !Number.isFinite(loss)) {
        throw new ModelFitError(`${stage}: training loss became ${loss} in epoch ${epoch} (lower learningRate or set clipNorm)`);
      }
      trainSeconds += seconds;
      trainExamples += examples;
      const score = validate ? validate() : Number.NaN;
      const record: EpochRecord = { epoch, loss, score, learningRate: optimizer.currentLearningRate, seconds, examples };
      history.push(record);
      const metrics: Record<string, number> = { loss };
      if (validate) metrics.val = score;
      args.onProgress?.({ stage, current: epoch, total: config.epochs, metrics, message: epochMessage(record, config.epochs) });
      if (!validate) {
        bestEpoch = epoch;
        continue;
      }
      if (score > bestScore) {
        bestScore = score;
        bestEpoch = epoch;
        best = snapshotVariables(model.variables);
        sinceBest = 0;
        sinceLrChange = 0;
      } else {
        sinceBest++;
        sinceLrChange++;
        if (sinceBest >= config.patience) {
          // the bar would otherwise stop short of its total
          if (epoch < config.epochs) {
            args.onProgress?.({ stage, current: config.epochs, total: config.epochs, metrics, message: `stopped early, best epoch ${bestEpoch}` });
          }
          break;
        }
        const lr = optimizer.currentLearningRate;
        if (sinceLrChange >= config.lrPatience && lr > config.minLearningRate) {
          optimizer.setLearningRate(Math.max(config.minLearningRate, lr * config.lrFactor));
          sinceLrChange = 0;
        }
      }
      // let progress renderers and timers run between epochs
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    optimizer.dispose();
  }
  if (best && bestEpoch < history.length) restoreVariables(model.variables, best);
  return {
    bestEpoch,
    bestScore: validate ? bestScore : Number.NaN,
    epochsRun: history.length,
    history,
    examplesPerSecond: trainSeconds > 0 ? trainExamples / trainSeconds : 0,
  };
}
