import { ConfigError, resolveConfig } from '@musicrec/core';

export type PopularityWeighting = 'count' | 'sum';

/** Popularity options: score(u, i) is the same for every user. */
export type PopularityConfig = {
  /** 'count': number of training users of the item; 'sum': sum of their interaction values (plays). */
  weighting: PopularityWeighting;
};

export const popularityDefaults: PopularityConfig = {
  weighting: 'count',
};

/** Defaults filled in, unknown keys and unknown weightings rejected. */
export function resolvePopularityConfig(given: Partial<PopularityConfig> = {}): PopularityConfig {
  const c = resolveConfig('popularity', popularityDefaults, given);
  if (c.weighting !== 'count' && c.weighting !== 'sum') {
    throw new ConfigError(`popularity: option "weighting" must be "count" or "sum", got ${JSON.stringify(c.weighting)}`);
  }
  return c;
}
