import { DataError, Interactions } from '@musicrec/core';
import type { Sequences } from '@musicrec/core';

/**
 * The events of per-user sequences as a binary users × items matrix (repeats merged, earliest
 * time kept), so any Recommender can be fitted on, or excluded by, exactly the events a
 * sequential model sees as input.
 */
export function interactionsFromSequences(sequences: Sequences, userIds: readonly string[], itemIds: readonly string[]): Interactions {
  const nUsers = sequences.indptr.length - 1;
  if (nUsers !== userIds.length) {
    throw new DataError(`sequences cover ${nUsers} users but ${userIds.length} user ids were given`, { field: 'userIds' });
  }
  const users = new Int32Array(sequences.items.length);
  for (let u = 0; u < nUsers; u++) users.fill(u, sequences.indptr[u], sequences.indptr[u + 1]);
  return Interactions.fromTriples(users, sequences.items, null, userIds, itemIds, sequences.timestamps);
}

/** One held-out item per user as a users × items matrix; users with target −1 get an empty row. */
export function interactionsFromTargets(target: Int32Array, userIds: readonly string[], itemIds: readonly string[]): Interactions {
  if (target.length !== userIds.length) {
    throw new DataError(`${target.length} targets for ${userIds.length} users`, { field: 'testTarget' });
  }
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < target.length; u++) {
    if (target[u] < 0) continue;
    users.push(u);
    items.push(target[u]);
  }
  return Interactions.fromTriples(users, items, null, userIds, itemIds);
}

/** "0", "1", ... for callers that only have indices. */
export function indexIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}
