import { ConfigError, Interactions, Rng } from '@musicrec/core';
import { sampleSeeded } from './sample';

export interface ColdStartUserOptions {
  /** Only users with at least this many training items are cut (so every cut level is a real cut). */
  minTrainItems?: number;
  /** At most this many users, a seeded sample. */
  maxUsers?: number;
  seed: number;
}

/**
 * The users a user-cold-start run cuts: at least `minTrainItems` (default 6) items in
 * `train` and at least one in `test`, a seeded sample of at most `maxUsers` (default 300),
 * ascending.
 */
export function pickColdStartUsers(train: Interactions, test: Interactions, opts: ColdStartUserOptions): Int32Array {
  const minTrainItems = opts.minTrainItems ?? 6;
  const maxUsers = opts.maxUsers ?? 300;
  if (!Number.isInteger(minTrainItems) || minTrainItems < 1) {
    throw new ConfigError(`pickColdStartUsers: minTrainItems must be an integer ≥ 1, got ${minTrainItems}`);
  }
  if (!Number.isInteger(maxUsers) || maxUsers < 1) throw new ConfigError(`pickColdStartUsers: maxUsers must be an integer ≥ 1, got ${maxUsers}`);
  if (train.nUsers !== test.nUsers) throw new ConfigError(`train has ${train.nUsers} users, test ${test.nUsers}: not the same split`);
  const eligible: number[] = [];
  for (let u = 0; u < train.nUsers; u++) {
    if (train.rowLength(u) >= minTrainItems && test.rowLength(u) > 0) eligible.push(u);
  }
  return sampleSeeded(Int32Array.from(eligible), maxUsers, new Rng(opts.seed).fork('cold-start-users'));
}

/**
 * `train` with each of `users` cut to `keep` of their items, chosen by a seeded shuffle of
 * the user's row; every other user is unchanged, values and timestamps kept. The shuffle
 * does not depend on `keep`, so the cuts are nested (the 1-item history is inside the
 * 3-item one, which is inside the 5-item one). A user with fewer than `keep` items keeps all.
 */
export function cutUserHistories(train: Interactions, users: Int32Array, keep: number, seed: number): Interactions {
  if (!Number.isInteger(keep) || keep < 0) throw new ConfigError(`cutUserHistories: keep must be an integer ≥ 0, got ${keep}`);
  const rng = new Rng(seed).fork('cold-start-cut');
  const dropped = new Uint8Array(train.nnz);
  const cut = new Uint8Array(train.nUsers);
  for (const u of users) {
    if (!(u >= 0 && u < train.nUsers)) throw new ConfigError(`cutUserHistories: user index ${u} outside [0, ${train.nUsers})`);
    if (cut[u]) throw new ConfigError(`cutUserHistories: user index ${u} listed twice`);
    cut[u] = 1;
    const lo = train.indptr[u];
    const positions = rng.shuffle(Int32Array.from({ length: train.rowLength(u) }, (_, j) => lo + j));
    for (let j = keep; j < positions.length; j++) dropped[positions[j]] = 1;
  }
  return train.filterEntries((_, k) => dropped[k] === 0);
}
