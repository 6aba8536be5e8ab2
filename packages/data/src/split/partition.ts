import { Interactions } from '@musicrec/core';

/** Part labels written per stored entry by the splitters. */
export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;

/**
 * Keeps the entries whose label bit is set in `mask` (bit 1 << label), with their values
 * and timestamps. Rows stay sorted because entries are copied in stored order.
 */
export function selectByLabel(x: Interactions, labels: Uint8Array, mask: number): Interactions {
  const { nUsers } = x;
  const indptr = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) {
    let c = 0;
    for (let k = x.indptr[u]; k < x.indptr[u + 1]; k++) if ((mask >> labels[k]) & 1) c++;
    indptr[u + 1] = indptr[u] + c;
  }
  const nnz = indptr[nUsers];
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const ts = x.timestamps ? new Float64Array(nnz) : undefined;
  let p = 0;
  for (let k = 0; k < labels.length; k++) {
    if (!((mask >> labels[k]) & 1)) continue;
    indices[p] = x.indices[k];
    values[p] = x.values[k];
    if (ts) ts[p] = x.timestamps![k];
    p++;
  }
  return new Interactions(indptr, indices, values, x.userIds, x.itemIds, ts);
}

/** Train, validation, test and train ∪ validation from one label per stored entry. */
export function partsFromLabels(
  x: Interactions,
  labels: Uint8Array,
): { train: Interactions; validation: Interactions; test: Interactions; fullTrain: Interactions } {
  return {
    train: selectByLabel(x, labels, 1 << TRAIN),
    validation: selectByLabel(x, labels, 1 << VALIDATION),
    test: selectByLabel(x, labels, 1 << TEST),
    fullTrain: selectByLabel(x, labels, (1 << TRAIN) | (1 << VALIDATION)),
  };
}

/**
 * Row-wise union of two matrices with the same shape and no (user, item) pair in both;
 * used to rebuild train ∪ validation from separately stored parts.
 */
export function unionDisjoint(a: Interactions, b: Interactions): Interactions {
  const { nUsers } = a;
  const nnz = a.nnz + b.nnz;
  const indptr = new Int32Array(nUsers + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const withTs = a.timestamps !== undefined && b.timestamps !== undefined;
  const ts = withTs ? new Float64Array(nnz) : undefined;
  let p = 0;
  for (let u = 0; u < nUsers; u++) {
    let ka = a.indptr[u];
    let kb = b.indptr[u];
    const ea = a.indptr[u + 1];
    const eb = b.indptr[u + 1];
    while (ka < ea || kb < eb) {
      const takeA = kb >= eb || (ka < ea && a.indices[ka] < b.indices[kb]);
      const src = takeA ? a : b;
      const k = takeA ? ka++ : kb++;
      indices[p] = src.indices[k];
      values[p] = src.values[k];
      if (ts) ts[p] = src.timestamps![k];
      p++;
    }
    indptr[u + 1] = p;
  }
  return new Interactions(indptr, indices, values, a.userIds, a.itemIds, ts);
}
