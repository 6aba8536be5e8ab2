import { ConfigError, resolveConfig } from '@musicrec/core';

/** How a stored interaction weight w becomes f(w) in the confidence c = 1 + alpha·f(w). */
export type IalsWeighting = 'identity' | 'log1p' | 'bm25';

/** 'cg': a few conjugate-gradient steps per row (implicit's default); 'cholesky': exact solve. */
export type IalsSolver = 'cg' | 'cholesky';

/**
 * Implicit ALS (Hu, Koren, Volinsky 2008) options. Preference p_ui = 1 for every stored pair,
 * confidence c_ui = 1 + alpha·f(w_ui); each half-iteration solves
 * (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = YᵀC_u p_u for every user (then every item).
 */
export type IalsConfig = {
  factors: number;
  /** Confidence scale; on binary data c = 1 + alpha for every observed pair. */
  alpha: number;
  weighting: IalsWeighting;
  /** λ, added to the diagonal of every row's system. */
  regularization: number;
  /** Full iterations (user half-step then item half-step). */
  iterations: number;
  solver: IalsSolver;
  /** Conjugate-gradient steps per row and half-iteration (solver 'cg'). */
  cgSteps: number;
  /** Standard deviation of the normal initialisation of both factor matrices. */
  initStd: number;
  /** Threads for the half-steps; 1 runs inline with no worker. */
  threads: number;
  /**
   * Use the WebAssembly SIMD kernels (float32, like implicit) where they apply: the CG
   * solver with factors a multiple of 4, and scoring. Otherwise the Float64 JS kernels run.
   */
  simd: boolean;
  /** Iterations between ctx.validate calls (early stopping, best state kept); 0 = never. */
  validateEvery: number;
  /** Validation checks without improvement before stopping. */
  patience: number;
};

export const ialsDefaults: IalsConfig = {
  factors: 64,
  alpha: 40,
  weighting: 'identity',
  regularization: 100,
  iterations: 15,
  solver: 'cg',
  cgSteps: 3,
  initStd: 0.01,
  threads: 2,
  simd: true,
  validateEvery: 1,
  patience: 3,
};

/** The small grid the bench tunes on the validation fold. */
export const ialsSearchSpace: { [K in keyof IalsConfig]?: IalsConfig[K][] } = {
  factors: [64, 128],
  regularization: [10, 50, 100, 300],
  alpha: [10, 40],
};

/** Defaults filled in, unknown keys and out-of-range values rejected. */
export function resolveIalsConfig(given: Partial<IalsConfig> = {}): IalsConfig {
  const c = resolveConfig('ials', ialsDefaults, given);
  integerAtLeast(c.factors, 'factors', 1);
  integerAtLeast(c.iterations, 'iterations', 0);
  integerAtLeast(c.cgSteps, 'cgSteps', 1);
  integerAtLeast(c.threads, 'threads', 1);
  integerAtLeast(c.validateEvery, 'validateEvery', 0);
  integerAtLeast(c.patience, 'patience', 1);
  for (const key of ['alpha', 'regularization', 'initStd'] as const) {
    if (!(c[key] >= 0 && Number.isFinite(c[key]))) {
      throw new ConfigError(`ials: option "${key}" must be a finite number >= 0, got ${c[key]}`);
    }
  }
  if (!['identity', 'log1p', 'bm25'].includes(c.weighting)) {
    throw new ConfigError(`ials: option "weighting" must be "identity", "log1p" or "bm25", got ${JSON.stringify(c.weighting)}`);
  }
  if (c.solver !== 'cg' && c.solver !== 'cholesky') {
    throw new ConfigError(`ials: option "solver" must be "cg" or "cholesky", got ${JSON.stringify(c.solver)}`);
  }
  return c;
}

function integerAtLeast(v: number, key: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`ials: option "${key}" must be an integer >= ${min}, got ${v}`);
}
