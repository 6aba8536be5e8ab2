import type { Catalog, Interactions } from '@musicrec/core';

/** Per-item facts the ranker's features read, taken from the training matrix and the catalog. */
export interface ItemSide {
  /**
   * log(1 + training users) / log(1 + most training users of any item), in [0, 1]: the
   * forest trains on a smaller matrix than it scores on, so raw counts would shift.
   */
  readonly logPopularity: Float32Array;
  /** Number of items played by more users (0 = most played; ties share a rank). */
  readonly popularityRank: Float32Array;
  /** Artist index per item (−1 unknown); null when the catalog has no artist that repeats. */
  readonly artist: Int32Array | null;
  /** Item → tag indices CSR; null when the catalog has no tags. */
  readonly tagIndptr: Int32Array | null;
  readonly tagIndices: Int32Array | null;
}

export function itemSideOf(train: Interactions, catalog: Catalog | undefined): ItemSide {
  const counts = train.itemCounts();
  const n = train.nItems;
  const logPopularity = new Float32Array(n);
  let maxCount = 0;
  for (let i = 0; i < n; i++) if (counts[i] > maxCount) maxCount = counts[i];
  const scale = maxCount > 0 ? 1 / Math.log1p(maxCount) : 0;
  for (let i = 0; i < n; i++) logPopularity[i] = Math.log1p(counts[i]) * scale;
  // competition ranking: an item's rank is the number of items played by more users, so
  // ties share a rank (an index-order tie-break would be a spurious signal for the forest)
  const atLeast = new Int32Array(maxCount + 2);
  for (let i = 0; i < n; i++) atLeast[counts[i]]++;
  for (let c = maxCount - 1; c >= 0; c--) atLeast[c] += atLeast[c + 1];
  const popularityRank = new Float32Array(n);
  for (let i = 0; i < n; i++) popularityRank[i] = atLeast[counts[i] + 1];
  return {
    logPopularity,
    popularityRank,
    artist: repeatingArtists(catalog, n),
    tagIndptr: catalog?.tags && catalog.tags.indptr.length === n + 1 ? catalog.tags.indptr : null,
    tagIndices: catalog?.tags && catalog.tags.indptr.length === n + 1 ? catalog.tags.tagIndices : null,
  };
}

/** Artist indices, or null when no artist owns two items (then repetition is always 0: no signal). */
function repeatingArtists(catalog: Catalog | undefined, nItems: number): Int32Array | null {
  const names = catalog?.artists;
  if (!names || names.length !== nItems) return null;
  const index = new Map<string, number>();
  const artist = new Int32Array(nItems);
  let repeats = false;
  for (let i = 0; i < nItems; i++) {
    const name = names[i];
    if (name === null || name === '') {
      artist[i] = -1;
      continue;
    }
    const known = index.get(name);
    if (known !== undefined) repeats = true;
    artist[i] = known ?? index.size;
    if (known === undefined) index.set(name, index.size);
  }
  return repeats ? artist : null;
}
