import { Rng } from '@musicrec/core';
import type { Interactions } from '@musicrec/core';

/** Ascending indices of the users that have at least one entry in `m`. */
export function usersWithItems(m: Interactions): Int32Array {
  let n = 0;
  for (let u = 0; u < m.nUsers; u++) if (m.indptr[u + 1] > m.indptr[u]) n++;
  const out = new Int32Array(n);
  let p = 0;
  for (let u = 0; u < m.nUsers; u++) if (m.indptr[u + 1] > m.indptr[u]) out[p++] = u;
  return out;
}

/** A seeded sample of at most `max` of `users`, returned in ascending order (same seed, same sample). */
export function sampleUsers(users: Int32Array, max: number, seed: number): Int32Array {
  if (users.length <= max) return users;
  const shuffled = new Rng(seed).fork('validation-users').shuffle(users.slice());
  return shuffled.subarray(0, max).sort();
}
