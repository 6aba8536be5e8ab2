type NumericArray = Float32Array | Int32Array;

/**
 * Scatter-add of rows: out[ids[r]] += x[r] for every row r of x (rows of `rowSize` values),
 * ids outside [0, numSegments) dropped as TensorFlow does. O(rows · rowSize), one pass.
 * `out` must hold numSegments · rowSize values; it is zeroed first.
 */
export function scatterAddRows<T extends NumericArray>(
  x: NumericArray,
  ids: NumericArray,
  rowSize: number,
  numSegments: number,
  out: T,
): T {
  out.fill(0);
  const rows = ids.length;
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (!(s >= 0 && s < numSegments)) continue;
    const src = r * rowSize;
    const dst = s * rowSize;
    for (let c = 0; c < rowSize; c++) out[dst + c] += x[src + c];
  }
  return out;
}
