import { Rng } from '@musicrec/core';
import type { Sequences } from '@musicrec/core';

/** Test helper: sequences from explicit per-user item lists (timestamps 0, 1, 2, ...). */
export function sequencesOf(rows: readonly (readonly number[])[]): Sequences {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((row, u) => {
    indptr[u + 1] = indptr[u] + row.length;
  });
  const items = Int32Array.from(rows.flat());
  const timestamps = new Float64Array(items.length);
  rows.forEach((row, u) => row.forEach((_, j) => (timestamps[indptr[u] + j] = j)));
  return { indptr, items, timestamps };
}

/**
 * Test helper: users walking the catalogue in order, item i always followed by i + 1 (mod
 * nItems), each from a seeded random start for a seeded length in [minLen, maxLen].
 */
export function successorSequences(nUsers: number, nItems: number, minLen: number, maxLen: number, seed: number): Sequences {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  for (let u = 0; u < nUsers; u++) {
    const start = rng.int(nItems);
    const length = minLen + rng.int(maxLen - minLen + 1);
    rows.push(Array.from({ length }, (_, j) => (start + j) % nItems));
  }
  return sequencesOf(rows);
}
