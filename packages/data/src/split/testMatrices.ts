import { Interactions, Rng } from '@musicrec/core';

/**
 * Test fixture: user u has rowSizes[u] items (spread over the catalogue), value 1 + item,
 * timestamp 1000·(u + 1) + a per-entry offset, so every part can be traced back.
 */
export function matrixWithRowSizes(rowSizes: number[], nItems = 40, seed = 3): Interactions {
  const rng = new Rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  const times: number[] = [];
  rowSizes.forEach((n, u) => {
    const chosen = rng.shuffle(Array.from({ length: nItems }, (_, i) => i)).slice(0, n);
    chosen.forEach((i, j) => {
      users.push(u);
      items.push(i);
      values.push(1 + i);
      times.push(1000 * (u + 1) + 7 * j);
    });
  });
  const userIds = rowSizes.map((_, u) => `user${u}`);
  const itemIds = Array.from({ length: nItems }, (_, i) => `item${i}`);
  return Interactions.fromTriples(users, items, values, userIds, itemIds, times);
}

/** Every stored (user, item, value, timestamp) as strings, for exact set comparisons. */
export function entries(x: Interactions): string[] {
  const out: string[] = [];
  for (let u = 0; u < x.nUsers; u++) {
    for (let k = x.indptr[u]; k < x.indptr[u + 1]; k++) {
      out.push(`${u}:${x.indices[k]}:${x.values[k]}:${x.timestamps ? x.timestamps[k] : '-'}`);
    }
  }
  return out;
}

/** Rows sorted ascending and unique: the CSR invariant every part must keep. */
export function rowsSortedUnique(x: Interactions): boolean {
  for (let u = 0; u < x.nUsers; u++) {
    for (let k = x.indptr[u] + 1; k < x.indptr[u + 1]; k++) if (x.indices[k - 1] >= x.indices[k]) return false;
  }
  return true;
}
