import { topK } from '@musicrec/core';
import { NO_CONTENT_SCORE } from '../content-knn';

/**
 * dst[dstOff + i] = z-score of src[srcOff + i] over the row's scored items (mean and standard
 * deviation in float64). Items the member cannot score (non-finite, or content-kNN's
 * NO_CONTENT_SCORE) are left out of the statistics and get the row's lowest z, so they rank
 * last within that member without stretching its scale. A constant row becomes all 0.
 */
export function zScoreInto(src: Float32Array, srcOff: number, n: number, dst: Float32Array, dstOff: number): void {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const s = src[srcOff + i];
    if (!scored(s)) continue;
    count++;
    sum += s;
    if (s < min) min = s;
  }
  const mean = count > 0 ? sum / count : 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const s = src[srcOff + i];
    if (scored(s)) sq += (s - mean) * (s - mean);
  }
  const std = count > 0 ? Math.sqrt(sq / count) : 0;
  if (!(std > 0)) {
    dst.fill(0, dstOff, dstOff + n);
    return;
  }
  const inv = 1 / std;
  const floor = (min - mean) * inv;
  for (let i = 0; i < n; i++) {
    const s = src[srcOff + i];
    dst[dstOff + i] = scored(s) ? (s - mean) * inv : floor;
  }
}

function scored(s: number): boolean {
  return s > NO_CONTENT_SCORE && s < Infinity;
}

/**
 * out[outOff + i] = Σ_m weights[m] · rows[m][rowOff + i], summed in float64 in member order,
 * members with weight 0 (or no row) skipped: the same sum `explain` reports term by term.
 * `acc` is float64 scratch of length ≥ n.
 */
export function blendInto(
  rows: readonly (Float32Array | null)[],
  rowOff: number,
  weights: ArrayLike<number>,
  n: number,
  out: Float32Array,
  outOff: number,
  acc: Float64Array,
): void {
  acc.fill(0, 0, n);
  for (let m = 0; m < rows.length; m++) {
    const w = weights[m];
    const r = rows[m];
    if (w === 0 || !r) continue;
    for (let i = 0; i < n; i++) acc[i] += w * r[rowOff + i];
  }
  for (let i = 0; i < n; i++) out[outOff + i] = acc[i];
}

/** Scratch for `topMinMaxInto`. */
export interface TopScratch {
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/**
 * Min–max over the row's top N (`scratch.items.length`) items, `exclude` (sorted; the seen
 * items) left out of the top: the best item maps to 1, the N-th to 0, everything below the
 * N-th is clipped to 0. Unlike a z-score it does not let a member with a sparse, heavy-tailed
 * row (knn sums that are 0 almost everywhere) dominate the blend: every member contributes
 * at most its weight. Items without a score (NO_CONTENT_SCORE) never enter the top.
 */
export function topMinMaxInto(
  src: Float32Array,
  srcOff: number,
  n: number,
  dst: Float32Array,
  dstOff: number,
  scratch: TopScratch,
  exclude?: Int32Array,
): void {
  let found = topK(src, scratch.items.length, scratch.items, scratch.scores, exclude, srcOff, n);
  while (found > 0 && !scored(scratch.scores[found - 1])) found--;
  if (found === 0) {
    dst.fill(0, dstOff, dstOff + n);
    return;
  }
  const max = scratch.scores[0];
  const min = scratch.scores[found - 1];
  const span = max - min;
  for (let i = 0; i < n; i++) {
    const s = src[srcOff + i];
    // a flat top (span 0) maps its items to 1 and the rest to 0
    dst[dstOff + i] = !scored(s) || s < min ? 0 : span > 0 ? (s - min) / span : 1;
  }
}
