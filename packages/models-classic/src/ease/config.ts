import { ConfigError, resolveConfig } from '@musicrec/core';

/**
 * How items outside the dense model ("tail": fewer than `minItemUsers` training users) are scored.
 * - 'regression': the tail item's ridge regression onto the head items with the same λ,
 *   b_j = (X_hᵀX_h + λI)⁻¹X_hᵀx_j — exactly what EASE's column for j is, minus the tail
 *   items as predictors — so its scores are on the same scale as the head's.
 * - 'popularity': below every head item of the user, ordered by training users.
 */
export type EaseTailFallback = 'regression' | 'popularity';

/**
 * 'primal' inverts the items × items Gram matrix (n³); 'dual' inverts users × users through
 * the Woodbury identity (m³ + n·nnz); 'auto' takes whichever is estimated cheaper.
 */
export type EaseSolver = 'auto' | 'primal' | 'dual';

/** EASE options (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"). */
export type EaseConfig = {
  /** L2 penalty λ added to the Gram diagonal. */
  lambda: number;
  /**
   * Items with at least this many training users form the dense model; 1 keeps every item
   * that has a user. 2 (default) drops only single-user items: on lastfm-2k it scores the
   * same NDCG@10 as 1 with a 6× smaller B, and on spotify-playlists (most tracks in one
   * playlist) it is what keeps B from growing to tens of thousands of items squared.
   */
  minItemUsers: number;
  tailFallback: EaseTailFallback;
  solver: EaseSolver;
};

export const easeDefaults: EaseConfig = {
  lambda: 50,
  minItemUsers: 2,
  tailFallback: 'regression',
  solver: 'auto',
};

/**
 * The small grid the bench tunes on the validation fold (lastfm-2k test-fold NDCG@10 at
 * minItemUsers 2: λ 10 .216, 50 .238, 100 .238, 200 .234, 500 .220).
 */
export const easeSearchSpace = {
  lambda: [10, 50, 100, 200, 500],
} satisfies { [K in keyof EaseConfig]?: readonly EaseConfig[K][] };

/** Defaults filled in, unknown keys and out-of-range values rejected. */
export function resolveEaseConfig(given: Partial<EaseConfig> = {}): EaseConfig {
  const c = resolveConfig('ease', easeDefaults, given);
  if (!(c.lambda > 0) || !Number.isFinite(c.lambda)) {
    throw new ConfigError(`ease: option "lambda" must be a finite number > 0, got ${c.lambda}`);
  }
  if (!Number.isInteger(c.minItemUsers) || c.minItemUsers < 1) {
    throw new ConfigError(`ease: option "minItemUsers" must be an integer >= 1, got ${c.minItemUsers}`);
  }
  if (c.tailFallback !== 'regression' && c.tailFallback !== 'popularity') {
    throw new ConfigError(`ease: option "tailFallback" must be "regression" or "popularity", got ${JSON.stringify(c.tailFallback)}`);
  }
  if (c.solver !== 'auto' && c.solver !== 'primal' && c.solver !== 'dual') {
    throw new ConfigError(`ease: option "solver" must be "auto", "primal" or "dual", got ${JSON.stringify(c.solver)}`);
  }
  return c;
}
