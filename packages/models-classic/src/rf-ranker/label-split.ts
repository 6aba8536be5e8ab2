import { Rng, type Interactions } from '@musicrec/core';

/** A training matrix cut per user into the part the base model fits and the part that labels candidates. */
export interface LabelSplit {
  readonly baseFit: Interactions;
  readonly labels: Interactions;
}

/**
 * Per user, a seeded shuffle puts round(labelFraction·n) of the n training items (at least
 * one when n >= 2, none when n = 1) into `labels`, the rest into `baseFit`. The two are
 * disjoint and together are `train`, so a candidate labelled 1 was never seen by the
 * model that proposed it (the two-level stacking protocol; no leak into the forest).
 */
export function labelSplit(train: Interactions, labelFraction: number, seed: number): LabelSplit {
  const rng = new Rng(seed);
  const isLabel = new Uint8Array(train.nnz);
  let order = new Int32Array(0);
  for (let u = 0; u < train.nUsers; u++) {
    const start = train.indptr[u];
    const n = train.indptr[u + 1] - start;
    if (n < 2) continue;
    const nLabel = Math.min(n - 1, Math.max(1, Math.round(labelFraction * n)));
    if (order.length < n) order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    // partial Fisher–Yates: the first nLabel positions become a uniform subset
    for (let k = 0; k < nLabel; k++) {
      const pick = k + rng.int(n - k);
      const t = order[pick];
      order[pick] = order[k];
      order[k] = t;
      isLabel[start + t] = 1;
    }
  }
  return {
    baseFit: train.filterEntries((_u, k) => isLabel[k] === 0),
    labels: train.filterEntries((_u, k) => isLabel[k] === 1),
  };
}
