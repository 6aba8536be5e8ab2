import { ConfigError, resolveConfig } from '@musicrec/core';
import { CF_MEMBER_NAMES } from '../ensemble/member-factories';

/**
 * Two-stage hybrid options: content-kNN picks each user's `candidates` best unseen items from
 * content similarity to their profile, the CF model orders them.
 */
export type TwoStageConfig = {
  /** Candidates per user from the content stage. */
  candidates: number;
  /** Re-ranking model: a registry name from CF_MEMBER_NAMES. */
  cf: string;
  cfParams: Record<string, unknown>;
  /** Options of the content-kNN candidate generator. */
  contentParams: Record<string, unknown>;
  /**
   * A candidate nobody played gets its CF score imputed from its `coldNeighbors` nearest played
   * items by content (see cold-start/cold-item-imputation); 0 = off (CF sinks it).
   */
  coldNeighbors: number;
};

export const twoStageDefaults: TwoStageConfig = {
  candidates: 200,
  cf: 'ials',
  cfParams: {},
  contentParams: {},
  coldNeighbors: 20,
};

/** The small grid the bench tunes on the validation fold. */
export const twoStageSearchSpace = {
  candidates: [50, 200, 1000],
} satisfies { [K in keyof TwoStageConfig]?: readonly TwoStageConfig[K][] };

/** Defaults filled in; unknown keys and out-of-range values rejected. */
export function resolveTwoStageConfig(given: Partial<TwoStageConfig> = {}): TwoStageConfig {
  const c = resolveConfig('two-stage', twoStageDefaults, given);
  if (!Number.isInteger(c.candidates) || c.candidates < 1) {
    throw new ConfigError(`two-stage: option "candidates" must be an integer >= 1, got ${c.candidates}`);
  }
  if (!CF_MEMBER_NAMES.includes(c.cf)) {
    throw new ConfigError(`two-stage: option "cf" must be one of ${CF_MEMBER_NAMES.join(', ')}, got ${JSON.stringify(c.cf)}`);
  }
  if (!Number.isInteger(c.coldNeighbors) || c.coldNeighbors < 0) {
    throw new ConfigError(`two-stage: option "coldNeighbors" must be an integer >= 0, got ${c.coldNeighbors}`);
  }
  for (const key of ['cfParams', 'contentParams'] as const) {
    if (c[key] === null || Array.isArray(c[key])) throw new ConfigError(`two-stage: option "${key}" must be an object of options`);
  }
  return c;
}
