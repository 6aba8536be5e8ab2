import type { Interactions, Rng } from '@musicrec/core';

/** One ListNet batch: `lists` lists of `listLength` items each, positives first. */
export interface ListBatch {
  users: Int32Array;
  /** lists × listLength item indices. */
  items: Int32Array;
  /** lists × listLength target probabilities: 1/P on the P positives, 0 on negatives. */
  target: Float32Array;
  /** lists × listLength log of each item's probability under the negative sampler (logQ correction). */
  logQ: Float32Array;
  listLength: number;
}

/** Draws of a negative that the user already has before any warm item is accepted. */
const MAX_NEGATIVE_TRIES = 16;

/**
 * Each epoch cuts every user's items (shuffled) into slices of `listSize` positives; a list
 * is a slice filled up with negatives to `listSize + negatives` items that the user has not
 * got. A negative is, with probability `popularShare`, the item of a uniformly drawn training
 * interaction (popularity-proportional: the items that crowd a full ranking), else a uniform
 * item among those with training interactions. `logQ` holds log q(i) of every list item
 * under that mixture, so the loss can subtract it and the sampled softmax stays an unbiased
 * stand-in for the softmax over the whole catalogue (Bengio & Senécal 2008). Items nobody
 * played never enter a list. The lists are shuffled and cut into batches of `batchSize` lists.
 */
export function* listBatches(
  train: Interactions,
  listSize: number,
  negatives: number,
  batchSize: number,
  rng: Rng,
  popularShare = 0,
): Generator<ListBatch> {
  const counts = train.itemCounts();
  const warm: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) warm.push(i);
  const logQ = samplerLogProbabilities(counts, warm.length, train.nnz, popularShare);
  const listLength = listSize + negatives;
  const drawNegative = (): number =>
    popularShare > 0 && rng.next() < popularShare ? train.indices[rng.int(train.nnz)] : warm[rng.int(warm.length)];
  // (user, start of slice) pairs over per-user shuffled copies of the rows
  const shuffled = train.indices.slice();
  const sliceUser: number[] = [];
  const sliceStart: number[] = [];
  for (let u = 0; u < train.nUsers; u++) {
    const a = train.indptr[u];
    const b = train.indptr[u + 1];
    rng.shuffle(shuffled.subarray(a, b));
    for (let s = a; s < b; s += listSize) {
      sliceUser.push(u);
      sliceStart.push(s);
    }
  }
  const order = new Int32Array(sliceUser.length);
  for (let k = 0; k < order.length; k++) order[k] = k;
  rng.shuffle(order);
  for (let start = 0; start < order.length; start += batchSize) {
    const n = Math.min(batchSize, order.length - start);
    const batch: ListBatch = {
      users: new Int32Array(n),
      items: new Int32Array(n * listLength),
      target: new Float32Array(n * listLength),
      logQ: new Float32Array(n * listLength),
      listLength,
    };
    for (let r = 0; r < n; r++) {
      const slice = order[start + r];
      const u = sliceUser[slice];
      const s = sliceStart[slice];
      const positives = Math.min(listSize, train.indptr[u + 1] - s);
      batch.users[r] = u;
      for (let j = 0; j < positives; j++) {
        batch.items[r * listLength + j] = shuffled[s + j];
        batch.target[r * listLength + j] = 1 / positives;
      }
      for (let j = positives; j < listLength; j++) {
        let cand = drawNegative();
        for (let t = 1; t < MAX_NEGATIVE_TRIES && train.has(u, cand); t++) cand = drawNegative();
        batch.items[r * listLength + j] = cand;
      }
      for (let j = 0; j < listLength; j++) batch.logQ[r * listLength + j] = logQ[batch.items[r * listLength + j]];
    }
    yield batch;
  }
}

/** log q(i) = log(share · count_i / nnz + (1 − share) / warm) for items with interactions; 0 for the rest (never drawn). */
export function samplerLogProbabilities(counts: Int32Array, warm: number, nnz: number, popularShare: number): Float32Array {
  const out = new Float32Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) out[i] = Math.log((popularShare * counts[i]) / nnz + (1 - popularShare) / warm);
  }
  return out;
}
