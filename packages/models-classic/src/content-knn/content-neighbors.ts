import { topK, type ProgressListener } from '@musicrec/core';
import type { ContentVectors, SparsePostings } from './content-vectors';
import { SimdGram } from './gram-simd';

/** Each item's most similar other items by cosine, CSR with rows best-first (ties → lower index). */
export interface ContentNeighbors {
  readonly nItems: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Rows of the similarity block held at once: bounds memory at about this many floats. */
const BLOCK_FLOATS = 1 << 22;

/**
 * Exact top-k neighbours of every item: the item × item cosine matrix is computed a block
 * of rows at a time (dense audio block by the f32x4 wasm kernel, sparse tag and artist
 * block through its postings), and each row's k best other items are kept with core `topK`. Items without a
 * content vector are never anyone's neighbour and have no neighbours themselves.
 */
export function contentNeighbors(
  v: ContentVectors,
  postings: SparsePostings,
  k: number,
  onProgress?: ProgressListener,
): ContentNeighbors {
  const n = v.nItems;
  const keep = Math.min(k, Math.max(0, n - 1));
  const blockRows = Math.max(4, Math.min(n, Math.floor(BLOCK_FLOATS / Math.max(1, n))));
  // the dense block runs in the f32x4 kernel; its rows are `stride` floats apart
  const gram = v.dim > 0 ? new SimdGram(v.dense, v.dim, n, blockRows) : null;
  const stride = gram ? gram.stride : n;
  const plain = gram ? null : new Float32Array(blockRows * n);
  const absent: number[] = [];
  for (let i = 0; i < n; i++) if (!v.present[i]) absent.push(i);

  const rowIdx = new Int32Array(n * keep);
  const rowVal = new Float32Array(n * keep);
  const rowLen = new Int32Array(n);
  for (let from = 0; from < n; from += blockRows) {
    const to = Math.min(n, from + blockRows);
    const block = gram ? gram.block(from, to) : plain!.fill(0);
    addSparseSimilarities(v, postings, from, to, block, stride);
    for (let i = from; i < to; i++) {
      if (!v.present[i]) continue;
      const offset = (i - from) * stride;
      // NaN is never selected by topK: the item itself and items without content drop out
      block[offset + i] = Number.NaN;
      for (const a of absent) block[offset + a] = Number.NaN;
      rowLen[i] = topK(block, keep, rowIdx.subarray(i * keep, i * keep + keep), rowVal.subarray(i * keep, i * keep + keep), undefined, offset, n);
    }
    onProgress?.({ stage: 'content-knn neighbours', current: to, total: n });
  }

  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + rowLen[i];
  const indices = new Int32Array(indptr[n]);
  const values = new Float32Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    indices.set(rowIdx.subarray(i * keep, i * keep + rowLen[i]), indptr[i]);
    values.set(rowVal.subarray(i * keep, i * keep + rowLen[i]), indptr[i]);
  }
  return { nItems: n, indptr, indices, values };
}

/** out[(i − from) · n + j] = cosine(i, j) for i in [from, to): dense dot products plus shared tag and artist products. */
export function similarityBlock(v: ContentVectors, postings: SparsePostings, from: number, to: number, out: Float32Array): void {
  const n = v.nItems;
  if (v.dim > 0) {
    // the same f32x4 kernel as the neighbour lists, so a computed row matches a kept one bit for bit
    const gram = new SimdGram(v.dense, v.dim, n, to - from);
    const block = gram.block(from, to);
    for (let r = 0; r < to - from; r++) out.set(block.subarray(r * gram.stride, r * gram.stride + n), r * n);
  } else {
    out.fill(0, 0, (to - from) * n);
  }
  addSparseSimilarities(v, postings, from, to, out, n);
}

/**
 * Each listed item's `k` most similar items among those with `allowed[j] = 1` (never itself),
 * keeping only positive similarities: CSR over `items` (row r = items[r]), best first. The
 * cold-item imputation of the hybrids asks this for unplayed items against the played ones.
 */
export function neighborsAmong(v: ContentVectors, postings: SparsePostings, items: Int32Array, allowed: Uint8Array, k: number): ContentNeighbors {
  const n = v.nItems;
  const keep = Math.min(k, n);
  const blockRows = Math.max(4, Math.min(items.length, Math.floor(BLOCK_FLOATS / Math.max(1, n))));
  const gram = v.dim > 0 ? new SimdGram(v.dense, v.dim, n, blockRows) : null;
  const stride = gram ? gram.stride : n;
  const plain = gram ? null : new Float32Array(blockRows * n);
  const rowIdx = new Int32Array(items.length * keep);
  const rowVal = new Float32Array(items.length * keep);
  const rowLen = new Int32Array(items.length);
  for (let from = 0; from < items.length; from += blockRows) {
    const rows = items.subarray(from, Math.min(items.length, from + blockRows));
    const block = gram ? gram.rowsBlock(rows) : plain!.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const offset = r * stride;
      addSparseRow(v, postings, i, block, offset);
      for (let j = 0; j < n; j++) if (!allowed[j] || !(block[offset + j] > 0)) block[offset + j] = Number.NaN;
      block[offset + i] = Number.NaN;
      const at = (from + r) * keep;
      rowLen[from + r] = v.present[i] ? topK(block, keep, rowIdx.subarray(at, at + keep), rowVal.subarray(at, at + keep), undefined, offset, n) : 0;
    }
  }
  const indptr = new Int32Array(items.length + 1);
  for (let r = 0; r < items.length; r++) indptr[r + 1] = indptr[r] + rowLen[r];
  const indices = new Int32Array(indptr[items.length]);
  const values = new Float32Array(indptr[items.length]);
  for (let r = 0; r < items.length; r++) {
    indices.set(rowIdx.subarray(r * keep, r * keep + rowLen[r]), indptr[r]);
    values.set(rowVal.subarray(r * keep, r * keep + rowLen[r]), indptr[r]);
  }
  return { nItems: items.length, indptr, indices, values };
}

/** out[offset + j] += sparse-block dot product of item i and every item j. */
function addSparseRow(v: ContentVectors, postings: SparsePostings, i: number, out: Float32Array, offset: number): void {
  for (let p = v.sparseIndptr[i]; p < v.sparseIndptr[i + 1]; p++) {
    const a = v.sparseValues[p];
    const t = v.sparseIndices[p];
    for (let q = postings.indptr[t]; q < postings.indptr[t + 1]; q++) out[offset + postings.items[q]] += a * postings.values[q];
  }
}

/** out[(i − from) · stride + j] += sparse-block (tags, artist) dot product of items i and j, through the postings. */
function addSparseSimilarities(v: ContentVectors, postings: SparsePostings, from: number, to: number, out: Float32Array, stride: number): void {
  if (v.nSparse === 0) return;
  for (let i = from; i < to; i++) addSparseRow(v, postings, i, out, (i - from) * stride);
}
