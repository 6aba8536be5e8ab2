import { ConfigError, resolveConfig } from '@musicrec/core';

export type BprSampling = 'uniform' | 'popularity';

/**
 * BPR-MF options. Regularisation follows the literature's per-group split (Rendle et al. 2009,
 * and `implicit`'s single `regularization`): `reg` applies to every group unless that group's
 * own value is set (null = use `reg`).
 */
export type BprConfig = {
  factors: number;
  /** Passes over the data; one epoch draws nnz (u, i, j) triples. */
  epochs: number;
  learningRate: number;
  reg: number;
  userReg: number | null;
  posItemReg: number | null;
  negItemReg: number | null;
  biasReg: number | null;
  /** How the negative j is drawn: uniformly over items, or ∝ count(j)^popAlpha. */
  sampling: BprSampling;
  popAlpha: number;
  /** Standard deviation of the normal initialisation of the factors (biases start at 0). */
  initStd: number;
  /** Epochs between ctx.validate calls (early stopping); 0 = never validate. */
  validateEvery: number;
  /** Validation checks without improvement before stopping. */
  patience: number;
};

/**
 * Chosen on lastfm-2k (binary, per-user holdout, validation NDCG@10): popularity negatives with
 * α = 0.5 beat uniform (.134 vs .124) and α = 1, the `implicit` scheme (.105); reg 0.02 beat
 * 0.001 / 0.01 / 0.03; the best epoch was 80–90 of 150, so 100 epochs suit a fit without validation.
 */
export const bprDefaults: BprConfig = {
  factors: 64,
  epochs: 100,
  learningRate: 0.05,
  reg: 0.02,
  userReg: null,
  posItemReg: null,
  negItemReg: null,
  biasReg: null,
  sampling: 'popularity',
  popAlpha: 0.5,
  initStd: 0.01,
  validateEvery: 10,
  patience: 3,
};

/** The small grid the bench tunes on the validation fold (reg 0.001 lost to 0.01–0.02 on lastfm-2k). */
export const bprSearchSpace = {
  factors: [64, 128],
  learningRate: [0.01, 0.05],
  reg: [0.01, 0.02],
  sampling: ['uniform', 'popularity'],
} satisfies { [K in keyof BprConfig]?: readonly BprConfig[K][] };

/** Defaults filled in, unknown keys and out-of-range values rejected. */
export function resolveBprConfig(given: Partial<BprConfig> = {}): BprConfig {
  const c = resolveConfig('bpr', bprDefaults, given);
  positiveInteger(c.factors, 'factors');
  nonNegativeInteger(c.epochs, 'epochs');
  nonNegativeInteger(c.validateEvery, 'validateEvery');
  nonNegativeInteger(c.patience, 'patience');
  if (!(c.learningRate > 0)) throw new ConfigError(`bpr: option "learningRate" must be > 0, got ${c.learningRate}`);
  if (!(c.initStd >= 0)) throw new ConfigError(`bpr: option "initStd" must be >= 0, got ${c.initStd}`);
  nonNegative(c.reg, 'reg');
  for (const key of ['userReg', 'posItemReg', 'negItemReg', 'biasReg'] as const) {
    if (c[key] !== null) nonNegative(c[key], key);
  }
  if (c.sampling !== 'uniform' && c.sampling !== 'popularity') {
    throw new ConfigError(`bpr: option "sampling" must be "uniform" or "popularity", got ${JSON.stringify(c.sampling)}`);
  }
  if (!(c.popAlpha >= 0)) throw new ConfigError(`bpr: option "popAlpha" must be >= 0, got ${c.popAlpha}`);
  return c;
}

function nonNegative(v: unknown, key: string): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new ConfigError(`bpr: option "${key}" must be a number >= 0, got ${JSON.stringify(v)}`);
}

function nonNegativeInteger(v: number, key: string): void {
  if (!Number.isInteger(v) || v < 0) throw new ConfigError(`bpr: option "${key}" must be an integer >= 0, got ${v}`);
}

function positiveInteger(v: number, key: string): void {
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(`bpr: option "${key}" must be an integer >= 1, got ${v}`);
}
