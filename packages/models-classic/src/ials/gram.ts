/** Rows gathered per block: the transposed block (f × 64 doubles) stays in L1/L2. */
const BLOCK_ROWS = 64;

/**
 * Adds Σ_{r ∈ [start, end)} y_r y_rᵀ to `out` (f × f, row-major, both triangles), where
 * y_r is row r of the row-major `rows` (n × f). Blocked: each block of rows is transposed
 * into columns so that every entry of the upper triangle is a contiguous dot product,
 * computed in 2 × 2 tiles (4 products per 4 loads instead of 2 loads per product).
 */
export function accumulateGram(rows: Float32Array, f: number, start: number, end: number, out: Float64Array): void {
  const fPad = f + (f & 1);
  const cols = new Float64Array(fPad * BLOCK_ROWS);
  const acc = new Float64Array(fPad * fPad);
  for (let r0 = start; r0 < end; r0 += BLOCK_ROWS) {
    const nb = Math.min(BLOCK_ROWS, end - r0);
    // cols[a·B + r] = rows[r0 + r][a]; the padding column (odd f) stays 0
    for (let r = 0; r < nb; r++) {
      const src = (r0 + r) * f;
      for (let a = 0; a < f; a++) cols[a * BLOCK_ROWS + r] = rows[src + a];
    }
    for (let a = 0; a < fPad; a += 2) {
      const ca0 = a * BLOCK_ROWS;
      const ca1 = ca0 + BLOCK_ROWS;
      for (let b = a; b < fPad; b += 2) {
        const cb0 = b * BLOCK_ROWS;
        const cb1 = cb0 + BLOCK_ROWS;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let r = 0; r < nb; r++) {
          const xa0 = cols[ca0 + r];
          const xa1 = cols[ca1 + r];
          const xb0 = cols[cb0 + r];
          const xb1 = cols[cb1 + r];
          s00 += xa0 * xb0;
          s01 += xa0 * xb1;
          s10 += xa1 * xb0;
          s11 += xa1 * xb1;
        }
        const o = a * fPad + b;
        acc[o] += s00;
        acc[o + 1] += s01;
        acc[o + fPad] += s10;
        acc[o + fPad + 1] += s11;
      }
    }
  }
  // the upper triangle of acc holds every entry once; mirror it into out
  for (let a = 0; a < f; a++) {
    out[a * f + a] += acc[a * fPad + a];
    for (let b = a + 1; b < f; b++) {
      const v = acc[a * fPad + b];
      out[a * f + b] += v;
      out[b * f + a] += v;
    }
  }
}

/** Adds λ to the diagonal of the f × f matrix `m`. */
export function addToDiagonal(m: Float64Array, f: number, lambda: number): void {
  for (let a = 0; a < f; a++) m[a * f + a] += lambda;
}
