/** out[offset + j] = query · rows[j] for every row j, query = q[qOffset .. qOffset + dim). */
export function denseScoresInto(
  rows: Float32Array,
  dim: number,
  n: number,
  q: Float32Array | Float64Array,
  qOffset: number,
  out: Float32Array,
  offset: number,
): void {
  for (let j = 0, jo = 0; j < n; j++, jo += dim) {
    let a = 0;
    for (let d = 0; d < dim; d++) a += q[qOffset + d] * rows[jo + d];
    out[offset + j] = a;
  }
}
