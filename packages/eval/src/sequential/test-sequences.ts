import type { Sequences } from '@musicrec/core';

/** Test helper: sequences from explicit per-user item lists (timestamps 0, 1, 2, ...). */
export function sequencesOf(rows: readonly (readonly number[])[]): Sequences {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((row, u) => {
    indptr[u + 1] = indptr[u] + row.length;
  });
  const items = Int32Array.from(rows.flat());
  const timestamps = Float64Array.from(rows.flatMap((row) => row.map((_, j) => j)));
  return { indptr, items, timestamps };
}
