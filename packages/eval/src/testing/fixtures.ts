import { Interactions } from '@musicrec/core';
import type { Recommender, TopKResult } from '@musicrec/core';

/** Test helpers: small matrices and lists written out by hand. Not exported from the package. */

/** Users × items matrix whose row u holds `rows[u]` (value 1 each); ids "u0".., "i0"... */
export function interactionsFromRows(rows: readonly (readonly number[])[], nItems: number): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  rows.forEach((row, u) => {
    for (const i of row) {
      users.push(u);
      items.push(i);
    }
  });
  return Interactions.fromTriples(
    users,
    items,
    null,
    rows.map((_, u) => `u${u}`),
    Array.from({ length: nItems }, (_, i) => `i${i}`),
  );
}

/** A TopKResult from explicit lists, padded with -1 to k. */
export function listsToTopK(lists: readonly (readonly number[])[], k: number): TopKResult {
  const items = new Int32Array(lists.length * k).fill(-1);
  const scores = new Float32Array(lists.length * k).fill(-Infinity);
  lists.forEach((list, r) => {
    list.forEach((item, j) => {
      items[r * k + j] = item;
      scores[r * k + j] = k - j;
    });
  });
  return { items, scores, k };
}

/** A model whose score matrix is given outright (row u = scores of user u). */
export function fixedScoreModel(scores: readonly (readonly number[])[]): Pick<Recommender, 'scoreUsers'> & { calls: number } {
  const nItems = scores[0]?.length ?? 0;
  const model = {
    calls: 0,
    scoreUsers(users: Int32Array, out?: Float32Array): Float32Array {
      model.calls++;
      const buf = out ?? new Float32Array(users.length * nItems);
      for (let b = 0; b < users.length; b++) buf.set(scores[users[b]], b * nItems);
      return buf;
    },
  };
  return model;
}

export function int32(values: readonly number[]): Int32Array {
  return Int32Array.from(values);
}
