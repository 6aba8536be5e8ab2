import { ConfigError, resolveConfig } from '@musicrec/core';

/** 'bce': the paper's binary cross-entropy against one sampled negative per position; 'sampled-softmax': cross-entropy against `sampledNegatives` uniform items shared by the batch. */
export type SasRecLoss = 'bce' | 'sampled-softmax';

/** Which TF.js backend SASRec runs on: 'auto' resolves tensorflow → webgpu → wasm → cpu. */
export type SasRecBackend = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

const BACKENDS: readonly SasRecBackend[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/**
 * SASRec (Kang & McAuley 2018) options. Item embeddings are shared between the input and the
 * output layer; positions are learned; each block is pre-LayerNorm causal multi-head
 * self-attention plus a point-wise feed-forward layer, both with residuals and dropout.
 * Loss: binary cross-entropy of the next item against one seeded sampled negative per position
 * (the paper), or a sampled softmax over negatives shared by the batch.
 */
export type SasRecConfig = {
  /** Embedding size d (a multiple of `heads`). */
  factors: number;
  heads: number;
  blocks: number;
  /** Most recent events a user's history is cut to; the positional table has this many rows. */
  maxLen: number;
  /** Dropout rate on embeddings, attention weights and block outputs while training. */
  dropout: number;
  loss: SasRecLoss;
  /** Shared negatives per batch for loss 'sampled-softmax'. */
  sampledNegatives: number;
  /** Upper bound on epochs; early stopping on validation NDCG@10 usually ends training sooner. */
  epochs: number;
  /**
   * Most recent windows of maxLen targets trained on per user (0 = the whole history). The
   * next-item targets are every user's latest events, and older windows of long histories
   * are years older; 1 keeps about 44 % of Last.fm 2K's transitions, so an epoch is 2× faster.
   */
  windowsPerUser: number;
  /** Windows (user sequences of ≤ maxLen targets) per Adam step. */
  batchSize: number;
  /** Adam's starting step size. */
  learningRate: number;
  /** Global-norm gradient clipping threshold; 0 turns clipping off. */
  clipNorm: number;
  /** Epochs without a better validation NDCG@10 before training stops (the best epoch's weights are kept). */
  patience: number;
  /** Epochs without a better validation NDCG@10 before the learning rate is multiplied by lrFactor. */
  lrPatience: number;
  lrFactor: number;
  minLearningRate: number;
  /** L2 penalty on the embeddings of the items in each batch (0 = none). */
  l2: number;
  /** Validate on a seeded sample of this many users (0 = every user with a validation target). */
  validationUsers: number;
  /**
   * With a `validationUsers` sample, `fitSequences` also trains on the validation event of every
   * user outside the sample (only the sample's validation events are held out). The bench's
   * scoring input ends with each user's validation event, so this trains on the transitions
   * closest to the test targets.
   */
  trainOnUnsampledValidation: boolean;
  /** TF.js backend; the one that ran is in `describe().backend`. */
  backend: SasRecBackend;
};

export const sasRecDefaults: SasRecConfig = {
  factors: 64,
  heads: 2,
  blocks: 2,
  maxLen: 50,
  dropout: 0.2,
  loss: 'bce',
  sampledNegatives: 256,
  // about 5 minutes of wasm training on Last.fm 2K's tag sequences (65k targets an epoch) on an idle core
  epochs: 10,
  windowsPerUser: 0,
  batchSize: 32,
  learningRate: 1e-3,
  clipNorm: 5,
  patience: 5,
  lrPatience: 3,
  lrFactor: 0.5,
  minLearningRate: 1e-5,
  l2: 0,
  validationUsers: 0,
  trainOnUnsampledValidation: false,
  backend: 'auto',
};

function positiveInteger(c: SasRecConfig, key: keyof SasRecConfig): void {
  const v = c[key] as number;
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(`sasrec: option "${key}" must be a positive integer, got ${v}`);
}

/** Defaults filled in; unknown keys, out-of-range values and conflicting options rejected. */
export function resolveSasRecConfig(given: Partial<SasRecConfig> = {}): SasRecConfig {
  const c = resolveConfig('sasrec', sasRecDefaults, given);
  for (const key of ['factors', 'heads', 'blocks', 'maxLen', 'epochs', 'batchSize', 'patience', 'sampledNegatives'] as const) positiveInteger(c, key);
  if (c.loss !== 'bce' && c.loss !== 'sampled-softmax') {
    throw new ConfigError(`sasrec: option "loss" must be "bce" or "sampled-softmax", got ${JSON.stringify(c.loss)}`);
  }
  if (c.factors % c.heads !== 0) {
    throw new ConfigError(`sasrec: options "factors" (${c.factors}) and "heads" (${c.heads}) conflict: factors must be a multiple of heads`);
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new ConfigError(`sasrec: option "dropout" must be in [0, 1), got ${c.dropout}`);
  for (const key of ['learningRate', 'minLearningRate'] as const) {
    if (!(c[key] > 0) || !Number.isFinite(c[key])) throw new ConfigError(`sasrec: option "${key}" must be a finite number > 0, got ${c[key]}`);
  }
  for (const key of ['l2', 'clipNorm'] as const) {
    if (!(c[key] >= 0) || !Number.isFinite(c[key])) throw new ConfigError(`sasrec: option "${key}" must be a finite number >= 0, got ${c[key]}`);
  }
  if (!(c.lrFactor > 0 && c.lrFactor <= 1)) throw new ConfigError(`sasrec: option "lrFactor" must be in (0, 1], got ${c.lrFactor}`);
  for (const key of ['lrPatience', 'validationUsers', 'windowsPerUser'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 0) throw new ConfigError(`sasrec: option "${key}" must be an integer >= 0, got ${c[key]}`);
  }
  if (c.trainOnUnsampledValidation && c.validationUsers === 0) {
    throw new ConfigError('sasrec: option "trainOnUnsampledValidation" needs "validationUsers" > 0 (with every user validated there is nothing else to train on)');
  }
  if (!BACKENDS.includes(c.backend)) {
    throw new ConfigError(`sasrec: option "backend" must be one of ${BACKENDS.join(', ')}, got ${JSON.stringify(c.backend)}`);
  }
  return c;
}
