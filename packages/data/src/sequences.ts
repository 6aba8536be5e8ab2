import { DataError } from '@musicrec/core';
import type { Interactions, Sequences } from '@musicrec/core';

/**
 * Per-user item sequences ordered by time, equal times by item index (the same order
 * leave-last-out uses), from an interaction matrix that has timestamps.
 */
export function sequencesFromInteractions(interactions: Interactions): Sequences {
  const ts = interactions.timestamps;
  if (!ts) {
    throw new DataError('sequences need interaction timestamps, and this matrix has none', { field: 'timestamps' });
  }
  const { nUsers, indptr } = interactions;
  const nnz = interactions.nnz;
  const order = new Int32Array(nnz);
  for (let k = 0; k < nnz; k++) order[k] = k;
  // positions within a row are in item order, so "then by position" is "then by item index"
  const byTime = (a: number, b: number): number => ts[a] - ts[b] || a - b;
  for (let u = 0; u < nUsers; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    let sorted = true;
    for (let k = start + 1; k < end && sorted; k++) sorted = ts[k - 1] <= ts[k];
    if (!sorted) order.subarray(start, end).sort(byTime);
  }
  const items = new Int32Array(nnz);
  const timestamps = new Float64Array(nnz);
  for (let p = 0; p < nnz; p++) {
    items[p] = interactions.indices[order[p]];
    timestamps[p] = ts[order[p]];
  }
  return { indptr: indptr.slice(), items, timestamps };
}

/**
 * The last maxLen items of each listed user's sequence as a users.length × maxLen matrix,
 * left-padded with -1 so the most recent item is always in the last column.
 */
export function padSequences(sequences: Sequences, users: Int32Array, maxLen: number): Int32Array {
  if (!(Number.isInteger(maxLen) && maxLen > 0)) throw new RangeError(`padSequences: maxLen must be a positive integer, got ${maxLen}`);
  const nUsers = sequences.indptr.length - 1;
  const out = new Int32Array(users.length * maxLen).fill(-1);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (!(u >= 0 && u < nUsers)) throw new RangeError(`padSequences: user index ${u} out of range [0, ${nUsers})`);
    const end = sequences.indptr[u + 1];
    const start = Math.max(sequences.indptr[u], end - maxLen);
    out.set(sequences.items.subarray(start, end), r * maxLen + maxLen - (end - start));
  }
  return out;
}
