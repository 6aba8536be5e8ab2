import { ConfigError, resolveConfig } from '@musicrec/core';

/** How the dense item content matrix for the neural models is built from a catalog. */
export type ItemContentConfig = {
  /** Tag columns kept: the tags on the most items (ties → lower tag index), TF-IDF weighted. 0 = no tag block. */
  tagWidth: number;
  /**
   * Genre one-hot from `catalog.genres`. Off by default: in spotify-playlists the genre is
   * `playlist_genre` of the track's first playlist, a playlist attribute, so as item content
   * it tells the model which playlists (test playlists included) a track belongs to.
   */
  genres: boolean;
  /** Subgenre one-hot (Spotify has 24 subgenres under 6 genres); same caveat as `genres`. */
  subgenres: boolean;
};

export const itemContentDefaults: ItemContentConfig = {
  tagWidth: 64,
  genres: false,
  subgenres: false,
};

export function resolveItemContentConfig(given: Partial<ItemContentConfig> = {}): ItemContentConfig {
  const c = resolveConfig('itemContent', itemContentDefaults, given);
  if (!Number.isInteger(c.tagWidth) || c.tagWidth < 0) {
    throw new ConfigError(`itemContent: option "tagWidth" must be an integer >= 0, got ${c.tagWidth}`);
  }
  return c;
}
