/**
 * Per-item content, whatever the dataset has. Arrays are indexed by the dense item index
 * of the dataset's Interactions; a missing value is null (strings) or NaN (numbers).
 */
export interface Catalog {
  readonly itemIds: readonly string[];
  readonly names?: readonly (string | null)[];
  readonly artists?: readonly (string | null)[];
  readonly genres?: readonly (string | null)[];
  readonly subgenres?: readonly (string | null)[];
  readonly releaseYears?: Float32Array;
  /** Popularity as the source reports it (e.g. Spotify track_popularity 0..100). */
  readonly popularity?: Float32Array;
  /** Dense numeric audio features, row-major nItems × columns.length, NaN where missing. */
  readonly audio?: AudioFeatures;
  /** Tag assignments: item → (tag index, count), CSR; `tagNames[t]` is the tag text. */
  readonly tags?: ItemTags;
}

export interface AudioFeatures {
  readonly columns: readonly string[];
  readonly values: Float32Array;
  /** 1 where the item has an audio profile at all (e.g. a Last.fm artist matched to Spotify). */
  readonly present: Uint8Array;
}

export interface ItemTags {
  readonly indptr: Int32Array;
  readonly tagIndices: Int32Array;
  readonly counts: Float32Array;
  readonly tagNames: readonly string[];
}
