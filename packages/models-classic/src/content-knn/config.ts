import { ConfigError, resolveConfig } from '@musicrec/core';

/** Which catalog content becomes the item vectors; 'auto' = 'audio' when the catalog has audio, else 'tags'. */
export type ContentSource = 'auto' | 'audio' | 'tags' | 'audio+tags';

/** How a user's training items turn into item scores. */
export type ContentProfile = 'mean' | 'knn-sum';

/** How a user's interaction values weight their items in the profile. */
export type ContentUserWeighting = 'binary' | 'log';

export type ContentKnnConfig = {
  source: ContentSource;
  /** Exact top-k most similar other items kept per item (used by 'knn-sum' and `similarItems`). */
  neighbors: number;
  /**
   * 'mean': cosine between the user's weighted mean item vector and each item;
   * 'knn-sum': Σ_{j ∈ I(u)} w_uj · sim(j, ·) over j's kept neighbours.
   */
  profile: ContentProfile;
  /** 'binary': every training item counts once; 'log': weight log1p(value) (play counts). */
  userWeighting: ContentUserWeighting;
  /** For 'audio+tags': share of the cosine that comes from audio (the rest from tags), in [0, 1]. */
  audioShare: number;
};

export const contentKnnDefaults: ContentKnnConfig = {
  source: 'auto',
  neighbors: 50,
  profile: 'knn-sum',
  userWeighting: 'binary',
  audioShare: 0.5,
};

/** The small grid the bench tunes on the validation fold. */
export const contentKnnSearchSpace = {
  neighbors: [20, 50, 200],
  profile: ['mean', 'knn-sum'],
} satisfies { [K in keyof ContentKnnConfig]?: readonly ContentKnnConfig[K][] };

const SOURCES: readonly ContentSource[] = ['auto', 'audio', 'tags', 'audio+tags'];
const PROFILES: readonly ContentProfile[] = ['mean', 'knn-sum'];
const WEIGHTINGS: readonly ContentUserWeighting[] = ['binary', 'log'];

/** Defaults filled in; unknown keys and out-of-range values rejected. */
export function resolveContentKnnConfig(given: Partial<ContentKnnConfig> = {}): ContentKnnConfig {
  const c = resolveConfig('content-knn', contentKnnDefaults, given);
  if (!SOURCES.includes(c.source)) {
    throw new ConfigError(`content-knn: option "source" must be one of ${SOURCES.join(', ')}, got ${JSON.stringify(c.source)}`);
  }
  if (!Number.isInteger(c.neighbors) || c.neighbors < 1) {
    throw new ConfigError(`content-knn: option "neighbors" must be an integer >= 1, got ${c.neighbors}`);
  }
  if (!PROFILES.includes(c.profile)) {
    throw new ConfigError(`content-knn: option "profile" must be one of ${PROFILES.join(', ')}, got ${JSON.stringify(c.profile)}`);
  }
  if (!WEIGHTINGS.includes(c.userWeighting)) {
    throw new ConfigError(
      `content-knn: option "userWeighting" must be one of ${WEIGHTINGS.join(', ')}, got ${JSON.stringify(c.userWeighting)}`,
    );
  }
  if (!(c.audioShare >= 0 && c.audioShare <= 1)) {
    throw new ConfigError(`content-knn: option "audioShare" must be in [0, 1], got ${c.audioShare}`);
  }
  return c;
}
