import type { Interactions, Rng } from '@musicrec/core';

/** One in-batch softmax batch: B positive pairs and each user's sampled history. */
export interface PairBatch {
  users: Int32Array;
  items: Int32Array;
  /** B × historyLength item indices (0 where padded). */
  history: Int32Array;
  /** B × historyLength weights: 1 / (number of real history items) where real, 0 where padded. */
  historyWeight: Float32Array;
  historyLength: number;
}

/** The user of every stored entry of a CSR matrix (entry k → user). */
export function userOfEntries(train: Interactions): Int32Array {
  const out = new Int32Array(train.nnz);
  for (let u = 0; u < train.nUsers; u++) out.fill(u, train.indptr[u], train.indptr[u + 1]);
  return out;
}

/**
 * Every training pair once per epoch, in a seeded shuffled order, cut into batches of
 * `batchSize` (a last batch smaller than 2 has no negatives and is dropped). The history of a
 * pair is up to `historyLength` of the user's other items, drawn without replacement: the
 * target itself is never in it, or the tower could learn to match an item to itself.
 */
export function* pairBatches(train: Interactions, batchSize: number, historyLength: number, rng: Rng): Generator<PairBatch> {
  const order = new Int32Array(train.nnz);
  for (let k = 0; k < order.length; k++) order[k] = k;
  rng.shuffle(order);
  const userOf = userOfEntries(train);
  let longest = 0;
  for (let u = 0; u < train.nUsers; u++) longest = Math.max(longest, train.rowLength(u));
  const scratch = new Int32Array(longest);
  for (let start = 0; start + 2 <= order.length; start += batchSize) {
    const b = Math.min(batchSize, order.length - start);
    const batch: PairBatch = {
      users: new Int32Array(b),
      items: new Int32Array(b),
      history: new Int32Array(b * historyLength),
      historyWeight: new Float32Array(b * historyLength),
      historyLength,
    };
    for (let r = 0; r < b; r++) {
      const k = order[start + r];
      const u = userOf[k];
      batch.users[r] = u;
      batch.items[r] = train.indices[k];
      if (historyLength > 0) sampleHistory(train, u, k, historyLength, rng, scratch, batch, r);
    }
    yield batch;
  }
}

function sampleHistory(train: Interactions, u: number, entry: number, L: number, rng: Rng, scratch: Int32Array, batch: PairBatch, row: number): void {
  let n = 0;
  for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) if (p !== entry) scratch[n++] = train.indices[p];
  const take = Math.min(L, n);
  // partial Fisher–Yates: the first `take` slots become a uniform sample without replacement
  for (let t = 0; t < take; t++) {
    const j = t + rng.int(n - t);
    const tmp = scratch[t];
    scratch[t] = scratch[j];
    scratch[j] = tmp;
    batch.history[row * L + t] = scratch[t];
    batch.historyWeight[row * L + t] = 1 / take;
  }
}
