import { ConfigError, resolveConfig } from '@musicrec/core';

/** How the dense item content matrix for the neural models is built from a catalog. */
export type ItemContentConfig = {
  /** Tag columns kept: the tags on the most items (ties → lower tag index), TF-IDF weighted. 0 = no tag block. */
  tagWidth: number;
  /** Subgenre one-hot next to the genre one-hot (Spotify has 24 subgenres under 6 genres). */
  subgenres: boolean;
};

export const itemContentDefaults: ItemContentConfig = {
  tagWidth: 64,
  subgenres: true,
};

export function resolveItemContentConfig(given: Partial<ItemContentConfig> = {}): ItemContentConfig {
  const c = resolveConfig('itemContent', itemContentDefaults, given);
  if (!Number.isInteger(c.tagWidth) || c.tagWidth < 0) {
    throw new ConfigError(`itemContent: option "tagWidth" must be an integer >= 0, got ${c.tagWidth}`);
  }
  return c;
}
