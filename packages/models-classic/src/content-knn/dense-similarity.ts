/**
 * out[(i − from) · n + j] = rows[i] · rows[j] for i in [from, to), j in [0, n): one block of
 * the item × item Gram matrix of a dense row-major n × dim matrix. Four rows share each
 * pass over the catalogue so every loaded row j feeds four dot products.
 */
export function denseGramBlock(rows: Float32Array, dim: number, n: number, from: number, to: number, out: Float32Array): void {
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const o0 = (i - from) * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    const r0 = i * dim;
    const r1 = r0 + dim;
    const r2 = r1 + dim;
    const r3 = r2 + dim;
    for (let j = 0, jo = 0; j < n; j++, jo += dim) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let d = 0; d < dim; d++) {
        const x = rows[jo + d];
        a0 += rows[r0 + d] * x;
        a1 += rows[r1 + d] * x;
        a2 += rows[r2 + d] * x;
        a3 += rows[r3 + d] * x;
      }
      out[o0 + j] = a0;
      out[o1 + j] = a1;
      out[o2 + j] = a2;
      out[o3 + j] = a3;
    }
  }
  for (; i < to; i++) denseScoresInto(rows, dim, n, rows, i * dim, out, (i - from) * n);
}

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
