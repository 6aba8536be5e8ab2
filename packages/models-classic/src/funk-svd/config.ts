import { ConfigError, resolveConfig } from '@musicrec/core';

/** How a stored weight becomes the rating the model fits: log1p for play counts, none for ratings. */
export type FunkSvdTransform = 'log1p' | 'none';

/** Funk-SVD (biased MF on observed ratings) options, in the style of Surprise's SVD. */
export type FunkSvdConfig = {
  factors: number;
  /** Passes over the observed pairs, each in a fresh seeded order. */
  epochs: number;
  learningRate: number;
  /** L2 weight of the factors. */
  reg: number;
  /** L2 weight of the user and item biases. */
  biasReg: number;
  /** Standard deviation of the normal initialisation of the factors (biases start at 0). */
  initStd: number;
  transform: FunkSvdTransform;
  /** Clip predictPairs to the range of the training ratings (scoreUsers is never clipped). */
  clipPredictions: boolean;
  /** Epochs between validation-RMSE checks (early stopping); 0 = never check. */
  validateEvery: number;
  /** Checks without a lower validation RMSE before stopping. */
  patience: number;
};

/**
 * Chosen on lastfm-2k log1p play counts (75/12.5/12.5 split, validation RMSE): Surprise's
 * reg 0.02 on the factors overfits (.807, worse than biases alone, .800); 0.1 with bias reg
 * 0.02 gives .800 at its best epoch, about 40, so 40 epochs suit a fit without validation.
 */
export const funkSvdDefaults: FunkSvdConfig = {
  factors: 32,
  epochs: 40,
  learningRate: 0.005,
  reg: 0.1,
  biasReg: 0.02,
  initStd: 0.1,
  transform: 'log1p',
  clipPredictions: true,
  validateEvery: 1,
  patience: 3,
};

/** The small grid the bench tunes on the validation fold. */
export const funkSvdSearchSpace = {
  factors: [32, 64],
  learningRate: [0.005, 0.01],
  reg: [0.05, 0.1],
} satisfies { [K in keyof FunkSvdConfig]?: readonly FunkSvdConfig[K][] };

/** Defaults filled in, unknown keys and out-of-range values rejected. */
export function resolveFunkSvdConfig(given: Partial<FunkSvdConfig> = {}): FunkSvdConfig {
  const c = resolveConfig('funk-svd', funkSvdDefaults, given);
  integerAtLeast(c.factors, 'factors', 1);
  integerAtLeast(c.epochs, 'epochs', 0);
  integerAtLeast(c.validateEvery, 'validateEvery', 0);
  integerAtLeast(c.patience, 'patience', 0);
  if (!(c.learningRate > 0)) throw new ConfigError(`funk-svd: option "learningRate" must be > 0, got ${c.learningRate}`);
  if (!(c.initStd >= 0)) throw new ConfigError(`funk-svd: option "initStd" must be >= 0, got ${c.initStd}`);
  nonNegative(c.reg, 'reg');
  nonNegative(c.biasReg, 'biasReg');
  if (c.transform !== 'log1p' && c.transform !== 'none') {
    throw new ConfigError(`funk-svd: option "transform" must be "log1p" or "none", got ${JSON.stringify(c.transform)}`);
  }
  return c;
}

function nonNegative(v: unknown, key: string): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new ConfigError(`funk-svd: option "${key}" must be a number >= 0, got ${JSON.stringify(v)}`);
}

function integerAtLeast(v: number, key: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`funk-svd: option "${key}" must be an integer >= ${min}, got ${v}`);
}
