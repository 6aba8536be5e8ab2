import { ConfigError, resolveConfig } from '@musicrec/core';
import { trainDefaults, type TrainConfig } from '../training';
import { backendChoices, type BackendChoice } from '../backend';
import { checkTrainOptions } from '../training';

/**
 * Two-Tower options. The user tower is a user id embedding plus (historyLength > 0) the mean
 * of the id embeddings of up to historyLength of the user's items; the item tower is an item
 * id embedding plus an MLP over the item's content. Both outputs are L2-normalised and
 * trained with an in-batch sampled softmax.
 */
export type TwoTowerConfig = Omit<TrainConfig, 'seed'> & {
  /** Embedding size of both towers. */
  dim: number;
  /** Hidden units of the content MLP (content → hidden → dim); 0 = one linear map. */
  contentHidden: number;
  /** History items averaged into the user tower per example (sampled, the target excluded); 0 = id embedding only. */
  historyLength: number;
  /** Softmax temperature over cosine similarities. */
  temperature: number;
  /** Subtract log(item frequency) from each in-batch logit (Yi et al. 2019), so popular items are not over-penalised as negatives. */
  logQCorrection: boolean;
  /** L2 penalty on the embeddings looked up in the batch. */
  l2: number;
  /** Tag columns of the item content (see content/). */
  tagWidth: number;
  /** TF.js backend: 'auto' resolves tensorflow → webgpu → wasm → cpu. */
  backend: BackendChoice;
};

/**
 * Training settings from the shared loop's defaults (batchSize = positive pairs per batch: the
 * other pairs' items are each row's negatives), with a larger step size for embeddings.
 * lastfm-2k holdout (seed 42, wasm, a loaded 2-core machine): validation NDCG@10 peaked at
 * epoch 5 (.144, flat at 6) at ≈ 835 pairs/s, so 8 epochs with patience 3 cover the peak.
 */
export const twoTowerDefaults: TwoTowerConfig = {
  ...withoutSeed(trainDefaults),
  epochs: 8,
  dim: 64,
  contentHidden: 128,
  historyLength: 20,
  temperature: 0.1,
  logQCorrection: true,
  learningRate: 0.005,
  l2: 0,
  tagWidth: 64,
  backend: 'auto',
};

/** The small grid the bench tunes on validation. */
export const twoTowerSearchSpace = {
  dim: [32, 64],
  temperature: [0.05, 0.1, 0.2],
  historyLength: [0, 20],
} satisfies { [K in keyof TwoTowerConfig]?: readonly TwoTowerConfig[K][] };

export function resolveTwoTowerConfig(given: Partial<TwoTowerConfig> = {}): TwoTowerConfig {
  const c = resolveConfig('two-tower', twoTowerDefaults, given);
  checkTrainOptions('two-tower', c);
  positiveInteger(c.dim, 'dim');
  for (const key of ['contentHidden', 'historyLength', 'tagWidth'] as const) nonNegativeInteger(c[key], key);
  if (c.batchSize < 2) throw new ConfigError(`two-tower: option "batchSize" must be >= 2 (in-batch negatives), got ${c.batchSize}`);
  if (!(c.temperature > 0)) throw new ConfigError(`two-tower: option "temperature" must be > 0, got ${c.temperature}`);
  if (!(c.l2 >= 0)) throw new ConfigError(`two-tower: option "l2" must be >= 0, got ${c.l2}`);
  if (!backendChoices.includes(c.backend)) throw new ConfigError(`two-tower: option "backend" must be one of ${backendChoices.join(', ')}, got ${JSON.stringify(c.backend)}`);
  return c;
}

function positiveInteger(v: number, key: string): void {
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(`two-tower: option "${key}" must be an integer >= 1, got ${v}`);
}

function nonNegativeInteger(v: number, key: string): void {
  if (!Number.isInteger(v) || v < 0) throw new ConfigError(`two-tower: option "${key}" must be an integer >= 0, got ${v}`);
}

function withoutSeed(c: TrainConfig): Omit<TrainConfig, 'seed'> {
  const { seed: _seed, ...rest } = c;
  return rest;
}
