import type { Rng, Sequences } from '@musicrec/core';
import type { SasRecBatch } from './network';

/**
 * Training windows: each user's sequence is cut, from its end backwards, into windows of at
 * most maxLen next-item predictions (input = events t−1, target = event t), so every
 * transition of the training sequences is a target exactly once per epoch — or, with
 * `windowsPerUser` > 0, only the transitions of each user's most recent windows.
 */
export interface TrainingWindows {
  /** User of each window. */
  users: Int32Array;
  /** Exclusive end (position in the user's sequence) of each window's targets. */
  ends: Int32Array;
  /** Targets in each window (1..maxLen). */
  lengths: Int32Array;
}

export function trainingWindows(sequences: Sequences, maxLen: number, windowsPerUser = 0): TrainingWindows {
  const nUsers = sequences.indptr.length - 1;
  const users: number[] = [];
  const ends: number[] = [];
  const lengths: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = sequences.indptr[u + 1] - sequences.indptr[u];
    // targets are positions 1..n−1; the first event is only ever an input
    const last = windowsPerUser > 0 ? Math.max(1, n - windowsPerUser * maxLen) : 1;
    for (let end = n; end > last; end -= maxLen) {
      users.push(u);
      ends.push(end);
      lengths.push(Math.min(maxLen, end - 1));
    }
  }
  return { users: Int32Array.from(users), ends: Int32Array.from(ends), lengths: Int32Array.from(lengths) };
}

/**
 * The batches of one epoch. Windows are shuffled with the seed, then grouped by length so a
 * batch pads little (most users have short histories; padding every row to maxLen would do
 * ~2× the work), and the batches come in a seeded random order. Ids are item + 1 (0 = padding),
 * rows are left-padded to the longest window of the batch, and each target gets one negative
 * drawn uniformly from the items the user never had in `sequences`. With `sharedNegatives` > 0
 * each batch also carries that many uniform item ids shared by all its targets (sampled softmax).
 */
export function* epochBatches(
  sequences: Sequences,
  windows: TrainingWindows,
  nItems: number,
  batchSize: number,
  rng: Rng,
  sharedNegatives = 0,
): Generator<SasRecBatch> {
  const lengths = windows.lengths;
  // shuffle, then a stable sort by length: equal-length windows stay in random order
  const order = Int32Array.from(rng.shuffle(Array.from({ length: lengths.length }, (_, k) => k)).sort((a, b) => lengths[a] - lengths[b]));
  const starts: number[] = [];
  for (let start = 0; start < order.length; start += batchSize) starts.push(start);
  rng.shuffle(starts);
  // stamp[i] === user + 1 marks the items of the user being sampled for, without clearing per user
  const stamp = new Int32Array(nItems);
  for (const start of starts) {
    const picked = order.subarray(start, Math.min(order.length, start + batchSize));
    let length = 1;
    for (let r = 0; r < picked.length; r++) length = Math.max(length, windows.lengths[picked[r]]);
    const rows = picked.length;
    const inputs = new Int32Array(rows * length);
    const positives = new Int32Array(rows * length);
    const negatives = new Int32Array(rows * length);
    let targets = 0;
    for (let r = 0; r < rows; r++) {
      const w = picked[r];
      const u = windows.users[w];
      const base = sequences.indptr[u];
      const n = sequences.indptr[u + 1] - base;
      for (let p = base; p < base + n; p++) stamp[sequences.items[p]] = u + 1;
      const end = windows.ends[w];
      const len = windows.lengths[w];
      const offset = r * length + length - len;
      targets += len;
      for (let j = 0; j < len; j++) {
        const t = end - len + j; // target position in the user's sequence
        inputs[offset + j] = sequences.items[base + t - 1] + 1;
        positives[offset + j] = sequences.items[base + t] + 1;
        negatives[offset + j] = sampleNegative(stamp, u + 1, nItems, n, rng) + 1;
      }
    }
    const shared = new Int32Array(sharedNegatives);
    for (let k = 0; k < sharedNegatives; k++) shared[k] = rng.int(nItems) + 1;
    yield { inputs, positives, negatives, sharedNegatives: shared, rows, length, targets, dropoutSeed: rng.nextUint32() };
  }
}

/** A uniform item not marked for this user (any item when the user has had them all). */
function sampleNegative(stamp: Int32Array, mark: number, nItems: number, seen: number, rng: Rng): number {
  if (seen >= nItems) return rng.int(nItems);
  for (;;) {
    const i = rng.int(nItems);
    if (stamp[i] !== mark) return i;
  }
}
