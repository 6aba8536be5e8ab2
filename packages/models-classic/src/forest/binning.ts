/**
 * Quantile binning of a row-major float feature matrix. Each feature gets at most
 * `bins - 1` increasing edges; bin(x) = the first k with x <= edges[k], else the last bin,
 * so "bin <= b" is exactly "x <= edges[b]" and a tree split on binned data is a plain
 * threshold on raw values. NaN is never <= an edge: it lands in the last bin and goes right.
 */
export interface FeatureBins {
  readonly nFeatures: number;
  /** CSR over features: edges of feature f are edges[offsets[f] .. offsets[f + 1]). */
  readonly offsets: Int32Array;
  readonly edges: Float32Array;
}

/** Rows sampled per feature to place the edges: quantiles of 50k values are exact enough. */
const EDGE_SAMPLE = 50_000;

export function quantileBins(x: Float32Array, nRows: number, nFeatures: number, bins: number): FeatureBins {
  const stride = Math.max(1, Math.floor(nRows / EDGE_SAMPLE));
  const column = new Float32Array(Math.ceil(nRows / stride));
  const offsets = new Int32Array(nFeatures + 1);
  const all: number[] = [];
  for (let f = 0; f < nFeatures; f++) {
    let m = 0;
    for (let r = 0; r < nRows; r += stride) {
      const v = x[r * nFeatures + f];
      if (v === v) column[m++] = v;
    }
    const sorted = column.subarray(0, m).sort();
    let last = Number.NaN;
    for (let q = 1; q < bins && m > 0; q++) {
      const v = sorted[Math.min(m - 1, Math.floor((q * m) / bins))];
      // an edge at the maximum would leave the last bin empty (NaN only)
      if (v === last || v >= sorted[m - 1]) continue;
      all.push(v);
      last = v;
    }
    offsets[f + 1] = all.length;
  }
  return { nFeatures, offsets, edges: Float32Array.from(all) };
}

/**
 * Row-major bin codes: codes[r * nFeatures + f]. One row's codes share a cache line, so a
 * node's histogram pass touches each (randomly ordered) bootstrap row once for all features.
 */
export function binRows(x: Float32Array, nRows: number, bins: FeatureBins): Uint8Array {
  const { nFeatures, offsets, edges } = bins;
  const codes = new Uint8Array(nRows * nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const lo = offsets[f];
    const hi = offsets[f + 1];
    for (let r = 0; r < nRows; r++) {
      const v = x[r * nFeatures + f];
      // binary search for the first edge >= v
      let a = lo;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (edges[mid] < v) a = mid + 1;
        else b = mid;
      }
      codes[r * nFeatures + f] = v === v ? a - lo : hi - lo;
    }
  }
  return codes;
}
