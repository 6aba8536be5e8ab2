import { Interactions } from '../interactions';

export interface Checkerboard {
  /** Training matrix: user u has seen every item of its own group except `heldOut[u]`. */
  readonly train: Interactions;
  /** The one unseen item of u's own group: its forced top recommendation. */
  readonly heldOut: Int32Array;
  readonly groupOfUser: Int32Array;
  readonly groupOfItem: Int32Array;
}

/**
 * A block "checkerboard" with a forced answer. Users and items fall in `groups` groups
 * (user u and item i in group u % groups, i % groups, so groups interleave and no model can
 * lean on index order). Each user has seen all items of its own group but one, and none of
 * any other group. Every other user of the group has seen that held-out item alongside the
 * user's items, so any collaborative model must rank it first: all other items of the
 * group are seen, and cross-group items never co-occur with anything the user saw.
 */
export function checkerboard(groups = 2, usersPerGroup = 8, itemsPerGroup = 8): Checkerboard {
  const nUsers = groups * usersPerGroup;
  const nItems = groups * itemsPerGroup;
  const groupOfUser = new Int32Array(nUsers);
  const groupOfItem = new Int32Array(nItems);
  for (let u = 0; u < nUsers; u++) groupOfUser[u] = u % groups;
  for (let i = 0; i < nItems; i++) groupOfItem[i] = i % groups;
  const heldOut = new Int32Array(nUsers);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const g = groupOfUser[u];
    // the r-th user of the group misses the (r mod itemsPerGroup)-th item of the group
    const r = Math.floor(u / groups);
    heldOut[u] = (r % itemsPerGroup) * groups + g;
    for (let i = g; i < nItems; i += groups) {
      if (i === heldOut[u]) continue;
      users.push(u);
      items.push(i);
    }
  }
  const train = Interactions.fromTriples(
    users,
    items,
    null,
    Array.from({ length: nUsers }, (_, u) => `u${u}`),
    Array.from({ length: nItems }, (_, i) => `i${i}`),
  );
  return { train, heldOut, groupOfUser, groupOfItem };
}
