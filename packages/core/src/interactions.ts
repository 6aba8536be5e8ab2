import { DataError } from './errors';

/**
 * Users × items interaction matrix in CSR form with dense internal ids 0..n-1.
 * Within each row the item indices are sorted ascending and unique.
 * `userIds[u]` / `itemIds[i]` map back to the dataset's own ids.
 */
export class Interactions {
  readonly nUsers: number;
  readonly nItems: number;

  constructor(
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly values: Float32Array,
    readonly userIds: readonly string[],
    readonly itemIds: readonly string[],
    readonly timestamps?: Float64Array,
  ) {
    this.nUsers = userIds.length;
    this.nItems = itemIds.length;
    if (indptr.length !== this.nUsers + 1) {
      throw new DataError(`indptr has length ${indptr.length}, expected nUsers + 1 = ${this.nUsers + 1}`);
    }
    const nnz = indptr[this.nUsers];
    if (indices.length !== nnz || values.length !== nnz) {
      throw new DataError(`indices/values length ${indices.length}/${values.length} differ from indptr[nUsers] = ${nnz}`);
    }
    if (timestamps && timestamps.length !== nnz) {
      throw new DataError(`timestamps length ${timestamps.length} differs from nnz ${nnz}`);
    }
  }

  get nnz(): number {
    return this.indptr[this.nUsers];
  }

  /** Fraction of the users × items cells that hold an interaction. */
  get density(): number {
    return this.nUsers === 0 || this.nItems === 0 ? 0 : this.nnz / (this.nUsers * this.nItems);
  }

  rowLength(u: number): number {
    return this.indptr[u + 1] - this.indptr[u];
  }

  /** Item indices of user u (a view, sorted ascending). */
  itemsOf(u: number): Int32Array {
    return this.indices.subarray(this.indptr[u], this.indptr[u + 1]);
  }

  valuesOf(u: number): Float32Array {
    return this.values.subarray(this.indptr[u], this.indptr[u + 1]);
  }

  /** Whether user u interacted with item i (binary search in the sorted row). */
  has(u: number, i: number): boolean {
    let lo = this.indptr[u];
    let hi = this.indptr[u + 1] - 1;
    const idx = this.indices;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = idx[mid];
      if (v === i) return true;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Number of users per item. */
  itemCounts(): Int32Array {
    const c = new Int32Array(this.nItems);
    const idx = this.indices;
    for (let k = 0; k < idx.length; k++) c[idx[k]]++;
    return c;
  }

  /** Number of items per user. */
  userCounts(): Int32Array {
    const c = new Int32Array(this.nUsers);
    for (let u = 0; u < this.nUsers; u++) c[u] = this.indptr[u + 1] - this.indptr[u];
    return c;
  }

  /** Items × users matrix (CSC of this one), rows sorted. userIds/itemIds swap roles. */
  transpose(): Interactions {
    const { nUsers, nItems } = this;
    const counts = this.itemCounts();
    const indptr = new Int32Array(nItems + 1);
    for (let i = 0; i < nItems; i++) indptr[i + 1] = indptr[i] + counts[i];
    const cursor = indptr.slice(0, nItems);
    const indices = new Int32Array(this.nnz);
    const values = new Float32Array(this.nnz);
    const ts = this.timestamps ? new Float64Array(this.nnz) : undefined;
    for (let u = 0; u < nUsers; u++) {
      for (let k = this.indptr[u]; k < this.indptr[u + 1]; k++) {
        const i = this.indices[k];
        const p = cursor[i]++;
        indices[p] = u;
        values[p] = this.values[k];
        if (ts) ts[p] = this.timestamps![k];
      }
    }
    return new Interactions(indptr, indices, values, this.itemIds, this.userIds, ts);
  }

  /** Same pattern, every value replaced by f(value). */
  mapValues(f: (v: number) => number): Interactions {
    const values = new Float32Array(this.values.length);
    for (let k = 0; k < values.length; k++) values[k] = f(this.values[k]);
    return new Interactions(this.indptr, this.indices, values, this.userIds, this.itemIds, this.timestamps);
  }

  /** Same pattern with all values 1. */
  binarize(): Interactions {
    return new Interactions(
      this.indptr,
      this.indices,
      new Float32Array(this.values.length).fill(1),
      this.userIds,
      this.itemIds,
      this.timestamps,
    );
  }

  /**
   * Builds a CSR matrix from parallel arrays of (user, item, value[, timestamp]).
   * Duplicate (user, item) pairs are merged: values summed, earliest timestamp kept.
   */
  static fromTriples(
    users: ArrayLike<number>,
    items: ArrayLike<number>,
    values: ArrayLike<number> | null,
    userIds: readonly string[],
    itemIds: readonly string[],
    timestamps?: ArrayLike<number>,
  ): Interactions {
    const n = users.length;
    const nUsers = userIds.length;
    const nItems = itemIds.length;
    const counts = new Int32Array(nUsers + 1);
    for (let k = 0; k < n; k++) {
      const u = users[k];
      const i = items[k];
      if (!(u >= 0 && u < nUsers)) throw new DataError(`user index ${u} out of range [0, ${nUsers}) at triple ${k}`);
      if (!(i >= 0 && i < nItems)) throw new DataError(`item index ${i} out of range [0, ${nItems}) at triple ${k}`);
      counts[u + 1]++;
    }
    for (let u = 0; u < nUsers; u++) counts[u + 1] += counts[u];
    const order = new Int32Array(n);
    const cursor = counts.slice(0, nUsers);
    for (let k = 0; k < n; k++) order[cursor[users[k]]++] = k;
    // sort each row by item, merge duplicates
    const indptr = new Int32Array(nUsers + 1);
    const outIdx = new Int32Array(n);
    const outVal = new Float32Array(n);
    const outTs = timestamps ? new Float64Array(n) : undefined;
    let p = 0;
    for (let u = 0; u < nUsers; u++) {
      const row = order.subarray(counts[u], counts[u + 1]);
      row.sort((a, b) => items[a] - items[b] || a - b);
      let last = -1;
      for (let r = 0; r < row.length; r++) {
        const k = row[r];
        const i = items[k];
        const v = values ? values[k] : 1;
        if (i === last) {
          outVal[p - 1] += v;
          if (outTs && timestamps![k] < outTs[p - 1]) outTs[p - 1] = timestamps![k];
        } else {
          outIdx[p] = i;
          outVal[p] = v;
          if (outTs) outTs[p] = timestamps![k];
          p++;
          last = i;
        }
      }
      indptr[u + 1] = p;
    }
    return new Interactions(
      indptr,
      outIdx.slice(0, p),
      outVal.slice(0, p),
      userIds,
      itemIds,
      outTs ? outTs.slice(0, p) : undefined,
    );
  }

  /** Keeps the entries for which keep(u, k) is true (k = position in indices). Same id maps. */
  filterEntries(keep: (u: number, k: number) => boolean): Interactions {
    const indptr = new Int32Array(this.nUsers + 1);
    const idx: number[] = [];
    const val: number[] = [];
    const ts: number[] = [];
    for (let u = 0; u < this.nUsers; u++) {
      for (let k = this.indptr[u]; k < this.indptr[u + 1]; k++) {
        if (!keep(u, k)) continue;
        idx.push(this.indices[k]);
        val.push(this.values[k]);
        if (this.timestamps) ts.push(this.timestamps[k]);
      }
      indptr[u + 1] = idx.length;
    }
    return new Interactions(
      indptr,
      Int32Array.from(idx),
      Float32Array.from(val),
      this.userIds,
      this.itemIds,
      this.timestamps ? Float64Array.from(ts) : undefined,
    );
  }

  /** An empty matrix with the same shape and id maps. */
  static empty(userIds: readonly string[], itemIds: readonly string[]): Interactions {
    return new Interactions(new Int32Array(userIds.length + 1), new Int32Array(0), new Float32Array(0), userIds, itemIds);
  }
}

/** Maps external ids to dense 0..n-1 indices in order of first appearance. */
export class IdIndex {
  private readonly map = new Map<string, number>();
  readonly ids: string[] = [];

  /** Index of id, adding it if new. */
  add(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.map.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  get(id: string): number | undefined {
    return this.map.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}
