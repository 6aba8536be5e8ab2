import { ConfigError, resolveConfig } from '@musicrec/core';

export type MmrConfig = {
  /** Weight of relevance against diversity: 1 = the base model's order, 0 = pure dissimilarity. */
  lambda: number;
  /** Base model's top candidates (unseen items) that MMR reorders; the rest keep the base order below them. */
  pool: number;
};

export const mmrDefaults: MmrConfig = {
  lambda: 0.7,
  pool: 100,
};

/** Defaults filled in; unknown keys and out-of-range values rejected. */
export function resolveMmrConfig(given: Partial<MmrConfig> = {}): MmrConfig {
  const c = resolveConfig('mmr', mmrDefaults, given);
  if (!(c.lambda >= 0 && c.lambda <= 1)) throw new ConfigError(`mmr: option "lambda" must be in [0, 1], got ${c.lambda}`);
  if (!Number.isInteger(c.pool) || c.pool < 1) throw new ConfigError(`mmr: option "pool" must be an integer >= 1, got ${c.pool}`);
  return c;
}
