/** The finite values of column `c` of a row-major matrix (optionally only rows with mask = 1), sorted ascending. */
export function sortedColumn(values: Float32Array, rows: number, cols: number, c: number, rowMask?: Uint8Array): Float64Array {
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const x = values[r * cols + c];
    if (x === x && (!rowMask || rowMask[r] === 1)) n++;
  }
  const out = new Float64Array(n);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const x = values[r * cols + c];
    if (x === x && (!rowMask || rowMask[r] === 1)) out[k++] = x;
  }
  return out.sort();
}

/**
 * Quantile q ∈ [0, 1] of ascending `sorted` by linear interpolation between order statistics
 * (position q·(n−1); numpy's default "linear" method, R type 7). NaN for an empty column.
 */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Mean and population standard deviation (divisor n) of ascending or unordered finite values. */
export function meanAndStd(xs: Float64Array): { mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) * (xs[i] - mean);
  return { mean, std: Math.sqrt(ss / n) };
}
