import { ConfigError } from '@musicrec/core';

/** Root mean squared error: sqrt(Σ (pred − truth)² / n). Rating-prediction models only. */
export function rmse(pred: Float32Array, truth: Float32Array): number {
  checkLengths('rmse', pred, truth);
  let sum = 0;
  for (let j = 0; j < pred.length; j++) {
    const e = pred[j] - truth[j];
    sum += e * e;
  }
  return Math.sqrt(sum / pred.length);
}

/** Mean absolute error: Σ |pred − truth| / n. */
export function mae(pred: Float32Array, truth: Float32Array): number {
  checkLengths('mae', pred, truth);
  let sum = 0;
  for (let j = 0; j < pred.length; j++) sum += Math.abs(pred[j] - truth[j]);
  return sum / pred.length;
}

function checkLengths(name: string, pred: Float32Array, truth: Float32Array): void {
  if (pred.length !== truth.length) {
    throw new ConfigError(`${name}: ${pred.length} predictions but ${truth.length} true values`);
  }
  if (pred.length === 0) throw new ConfigError(`${name}: no values to compare`);
}
