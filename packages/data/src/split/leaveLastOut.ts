import { DataError } from '@musicrec/core';
import type { Interactions, Sequences, Split } from '@musicrec/core';
import { TEST, VALIDATION, partsFromLabels } from './partition';

export interface LeaveLastOutOptions {
  /** Recorded in the split; the split itself is deterministic (ties broken by item index). */
  seed: number;
}

/**
 * Per user, the latest interaction goes to test and the one before it to validation; the
 * rest is train. Users with 2 interactions get no validation item, a single interaction
 * stays in train. Equal timestamps are ordered by item index (the higher index is later).
 */
export function leaveLastOutSplit(interactions: Interactions, options: LeaveLastOutOptions): Split {
  const ts = interactions.timestamps;
  if (!ts) {
    throw new DataError('leave-last-out needs interaction timestamps, and this matrix has none', {
      field: 'timestamps',
    });
  }
  const { nUsers, indptr } = interactions;
  const labels = new Uint8Array(interactions.nnz);
  for (let u = 0; u < nUsers; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    const n = end - start;
    if (n < 2) continue;
    // one pass for the two latest; rows are sorted by item, so ">=" makes the higher index win ties
    let last = -1;
    let before = -1;
    for (let k = start; k < end; k++) {
      if (last < 0 || ts[k] >= ts[last]) {
        before = last;
        last = k;
      } else if (before < 0 || ts[k] >= ts[before]) {
        before = k;
      }
    }
    labels[last] = TEST;
    if (n >= 3) labels[before] = VALIDATION;
  }
  return { protocol: 'leave-last-out', seed: options.seed, ...partsFromLabels(interactions, labels) };
}

/** What a sequential model trains on and predicts under leave-last-out. */
export interface SequenceSplit {
  /** Each user's sequence without its last two events (all but the last when it has 2). */
  readonly train: Sequences;
  /** Each user's sequence without its last event: the input when predicting the test target. */
  readonly fullTrain: Sequences;
  /** Per user the second-to-last item (the validation target), -1 when the user has < 3 events. */
  readonly validationTarget: Int32Array;
  /** Per user the last item (the test target), -1 when the user has < 2 events. */
  readonly testTarget: Int32Array;
}

/** Leave-last-out on time-ordered sequences (same rule as `leaveLastOutSplit`). */
export function leaveLastOutSequences(sequences: Sequences): SequenceSplit {
  const nUsers = sequences.indptr.length - 1;
  const validationTarget = new Int32Array(nUsers).fill(-1);
  const testTarget = new Int32Array(nUsers).fill(-1);
  const trainKeep = new Int32Array(nUsers);
  const fullKeep = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const start = sequences.indptr[u];
    const n = sequences.indptr[u + 1] - start;
    if (n >= 2) testTarget[u] = sequences.items[start + n - 1];
    if (n >= 3) validationTarget[u] = sequences.items[start + n - 2];
    fullKeep[u] = n >= 2 ? n - 1 : n;
    trainKeep[u] = n >= 3 ? n - 2 : fullKeep[u];
  }
  return {
    train: truncateSequences(sequences, trainKeep),
    fullTrain: truncateSequences(sequences, fullKeep),
    validationTarget,
    testTarget,
  };
}

/** Keeps the first keep[u] events of each user's sequence. */
function truncateSequences(s: Sequences, keep: Int32Array): Sequences {
  const nUsers = keep.length;
  const indptr = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) indptr[u + 1] = indptr[u] + keep[u];
  const items = new Int32Array(indptr[nUsers]);
  const timestamps = new Float64Array(indptr[nUsers]);
  for (let u = 0; u < nUsers; u++) {
    const from = s.indptr[u];
    items.set(s.items.subarray(from, from + keep[u]), indptr[u]);
    timestamps.set(s.timestamps.subarray(from, from + keep[u]), indptr[u]);
  }
  return { indptr, items, timestamps };
}
