import type { Interactions } from '@musicrec/core';
import type { NegativeSampler } from '@musicrec/data';

/** Parallel arrays of (user, item, label) training examples. */
export interface PointwiseExamples {
  users: Int32Array;
  items: Int32Array;
  /** 1 for an observed interaction, 0 for a sampled negative. */
  labels: Float32Array;
}

/**
 * Every observed (user, item) as a positive followed by `negativesPerPositive` negatives of
 * that user drawn by `sampler` (NCF's pointwise log-loss data, re-drawn each epoch).
 */
export function pointwiseExamples(train: Interactions, negativesPerPositive: number, sampler: NegativeSampler): PointwiseExamples {
  const perPositive = 1 + negativesPerPositive;
  const n = train.nnz * perPositive;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const labels = new Float32Array(n);
  let p = 0;
  for (let u = 0; u < train.nUsers; u++) {
    const row = train.itemsOf(u);
    for (let k = 0; k < row.length; k++) {
      users[p] = u;
      items[p] = row[k];
      labels[p++] = 1;
      for (let j = 0; j < negativesPerPositive; j++) {
        users[p] = u;
        items[p++] = sampler.sample(u);
      }
    }
  }
  return { users, items, labels };
}

/** The examples at `picks` (e.g. one shuffled batch), copied into new arrays. */
export function pickExamples(all: PointwiseExamples, picks: Int32Array): PointwiseExamples {
  const users = new Int32Array(picks.length);
  const items = new Int32Array(picks.length);
  const labels = new Float32Array(picks.length);
  for (let k = 0; k < picks.length; k++) {
    const p = picks[k];
    users[k] = all.users[p];
    items[k] = all.items[p];
    labels[k] = all.labels[p];
  }
  return { users, items, labels };
}
