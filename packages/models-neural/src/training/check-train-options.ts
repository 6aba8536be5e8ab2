import { ConfigError } from '@musicrec/core';
import type { TrainConfig } from './train-config';

/** Range checks of the shared training-loop options embedded in a model config. */
export function checkTrainOptions(model: string, c: Omit<TrainConfig, 'seed'>): void {
  for (const key of ['epochs', 'batchSize', 'patience', 'lrPatience'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < (key === 'batchSize' ? 1 : 0)) {
      throw new ConfigError(`${model}: option "${key}" must be an integer >= ${key === 'batchSize' ? 1 : 0}, got ${c[key]}`);
    }
  }
  for (const key of ['learningRate', 'lrFactor'] as const) {
    if (!(c[key] > 0)) throw new ConfigError(`${model}: option "${key}" must be > 0, got ${c[key]}`);
  }
  for (const key of ['clipNorm', 'minLearningRate'] as const) {
    if (!(c[key] >= 0)) throw new ConfigError(`${model}: option "${key}" must be >= 0, got ${c[key]}`);
  }
}
