import type { Catalog, Interactions } from '@musicrec/core';

/**
 * Test case for cold-item scoring (ensemble and two-stage tests): `train` without any
 * interaction of item `cold`, and a catalog whose only content is artists, each item its own
 * artist except that `cold` shares the artist of `twin`.
 */
export function coldItemCase(
  train: Interactions,
  cold: number,
  twin: number,
): { cold: number; twin: number; coldTrain: Interactions; artistCatalog: Catalog } {
  const coldTrain = train.filterEntries((_u, k) => train.indices[k] !== cold);
  const artists = Array.from({ length: train.nItems }, (_, i) => `artist ${i === cold ? twin : i}`);
  return { cold, twin, coldTrain, artistCatalog: { itemIds: train.itemIds, artists } };
}
