import type { Interactions } from '../interactions';
import type { Recommender } from '../recommender';
import { recommendTopK, range } from '../recommender';
import { containsSorted } from '../sorted';
import { topK } from '../topk';

/**
 * NDCG@k of one ranked list against a set of relevant items (binary relevance):
 * DCG = Σ_{r<k, list[r] relevant} 1 / log2(r + 2), divided by the ideal DCG over
 * min(|relevant|, k) hits. `relevant` is sorted ascending; -1 entries in `list` are empty slots.
 */
export function ndcgOfList(list: Int32Array, relevant: Int32Array, k: number): number {
  if (relevant.length === 0) return 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, list.length); r++) {
    if (list[r] >= 0 && containsSorted(relevant, list[r])) dcg += 1 / Math.log2(r + 2);
  }
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.length); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}

/** Mean NDCG@k over users with at least one test item; training items are excluded from ranking. */
export function meanNdcgAtK(
  scorer: Pick<Recommender, 'scoreUsers'>,
  train: Interactions,
  test: Interactions,
  k: number,
): number {
  const users = testUsers(test);
  const top = recommendTopK(scorer, users, train.nItems, k, { exclude: train });
  let sum = 0;
  for (let b = 0; b < users.length; b++) {
    sum += ndcgOfList(top.items.subarray(b * k, b * k + k), test.itemsOf(users[b]), k);
  }
  return users.length === 0 ? 0 : sum / users.length;
}

/** Same as meanNdcgAtK for the popularity baseline (number of training users per item). */
export function popularityNdcgAtK(train: Interactions, test: Interactions, k: number): number {
  const counts = Float32Array.from(train.itemCounts());
  const users = testUsers(test);
  const list = new Int32Array(k);
  let sum = 0;
  for (let b = 0; b < users.length; b++) {
    topK(counts, k, list, undefined, train.itemsOf(users[b]));
    sum += ndcgOfList(list, test.itemsOf(users[b]), k);
  }
  return users.length === 0 ? 0 : sum / users.length;
}

function testUsers(test: Interactions): Int32Array {
  return range(test.nUsers).filter((u) => test.rowLength(u) > 0);
}
