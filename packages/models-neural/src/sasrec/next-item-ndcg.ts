import type { Sequences } from '@musicrec/core';

/**
 * Sum over `users` of NDCG@k for one target item each: 1 / log2(rank + 1) when the target's
 * rank r ≤ k, else 0. The rank counts the items that beat the target (higher score, or the
 * same score and a lower index, as core topK orders them), leaving out the items of the user's
 * input sequence; a target that is itself in the input sequence counts as a miss.
 * Row r of `scores` (nItems wide) belongs to users[r]; users with target −1 contribute 0.
 */
export function nextItemNdcg(
  scores: Float32Array,
  nItems: number,
  users: Int32Array,
  target: Int32Array,
  input: Sequences,
  k: number,
): number {
  const excluded = new Uint8Array(nItems);
  let sum = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const t = target[u];
    if (t < 0) continue;
    const from = input.indptr[u];
    const to = input.indptr[u + 1];
    for (let p = from; p < to; p++) excluded[input.items[p]] = 1;
    if (excluded[t] === 0) {
      const base = r * nItems;
      const st = scores[base + t];
      let rank = 1;
      for (let i = 0; i < nItems && rank <= k; i++) {
        if (excluded[i] === 1) continue;
        const s = scores[base + i];
        if (s > st || (s === st && i < t)) rank++;
      }
      if (rank <= k) sum += 1 / Math.log2(rank + 1);
    }
    for (let p = from; p < to; p++) excluded[input.items[p]] = 0;
  }
  return sum;
}
