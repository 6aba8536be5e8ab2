import type * as tf from '@tensorflow/tfjs-core';

/** What the training loop needs from a model. */
export interface TrainableModel {
  /** Trainable variables (checkpointed, clipped, optimised). */
  readonly variables: tf.Variable[];
  /** Mean loss of one batch as a scalar; called inside tf.variableGrads. `batch` is whatever the batch source yields. */
  loss(batch: unknown, training: boolean): tf.Scalar;
}

/** One epoch of training as recorded in `TrainResult.history`. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss per example over the epoch. */
  loss: number;
  /** Validation score after the epoch (NaN when there is no `validate`). */
  score: number;
  /** Learning rate the epoch ran with. */
  learningRate: number;
  /** Training seconds of the epoch (validation excluded). */
  seconds: number;
  examples: number;
}

export interface TrainResult {
  /** Epoch (1-based) whose weights the model holds at the end: the best one on validation, else the last. */
  bestEpoch: number;
  /** Validation score of `bestEpoch` (NaN when there is no `validate`). */
  bestScore: number;
  epochsRun: number;
  history: EpochRecord[];
  /** Training examples per second over all epochs (validation excluded). */
  examplesPerSecond: number;
}
