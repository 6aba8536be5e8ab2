import { Interactions } from '@musicrec/core';
import type { Sequences } from '@musicrec/core';

/**
 * Per-user sequences of distinct items ordered by the time each item first occurred for
 * that user; equal times are ordered by `tieRank[item]` (lower first). Events are parallel
 * arrays (user index, item index, time). Users without events get an empty sequence.
 */
export function firstTimeSequences(
  users: Int32Array,
  items: Int32Array,
  times: Float64Array,
  userIds: readonly string[],
  itemIds: readonly string[],
  tieRank: Int32Array,
): Sequences {
  // fromTriples merges repeated (user, item) events and keeps the earliest time
  const firsts = Interactions.fromTriples(users, items, null, userIds, itemIds, times);
  const ts = firsts.timestamps!;
  const order = new Int32Array(firsts.nnz);
  for (let k = 0; k < order.length; k++) order[k] = k;
  const outItems = new Int32Array(firsts.nnz);
  const outTimes = new Float64Array(firsts.nnz);
  for (let u = 0; u < firsts.nUsers; u++) {
    const start = firsts.indptr[u];
    const row = order.subarray(start, firsts.indptr[u + 1]);
    row.sort((a, b) => ts[a] - ts[b] || tieRank[firsts.indices[a]] - tieRank[firsts.indices[b]]);
    for (let r = 0; r < row.length; r++) {
      outItems[start + r] = firsts.indices[row[r]];
      outTimes[start + r] = ts[row[r]];
    }
  }
  return { indptr: firsts.indptr, items: outItems, timestamps: outTimes };
}

/** Rank of each id in natural order: numeric ids compare as numbers, others as text. */
export function idOrderRank(ids: readonly string[]): Int32Array {
  const numeric = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) numeric[i] = ids[i].trim() === '' ? NaN : Number(ids[i]);
  const order = Array.from({ length: ids.length }, (_, i) => i);
  order.sort((a, b) => {
    const na = numeric[a];
    const nb = numeric[b];
    if (na === na && nb === nb) return na - nb || a - b;
    if (na === na) return -1; // numbers before text
    if (nb === nb) return 1;
    return ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b;
  });
  const rank = new Int32Array(ids.length);
  for (let r = 0; r < order.length; r++) rank[order[r]] = r;
  return rank;
}
