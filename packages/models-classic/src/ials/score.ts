/** Items per block: 128 rows of 64 float32 factors (32 KiB) stay in cache while every user of the batch passes over them. */
const ITEM_BLOCK = 128;

/**
 * out[b·nItems + i] = U[users[b]] · V[i] for every user b of the batch and every item i
 * (row-major factors, f columns). Blocked over items, and register-tiled 2 users × 4 items
 * so that each factor loaded is used 2–4 times.
 */
export function scoreUsersByFactors(
  userFactors: Float32Array,
  users: Int32Array,
  itemFactors: Float32Array,
  nItems: number,
  f: number,
  out: Float32Array,
): void {
  const nb = users.length;
  for (let i0 = 0; i0 < nItems; i0 += ITEM_BLOCK) {
    const i1 = Math.min(nItems, i0 + ITEM_BLOCK);
    let b = 0;
    for (; b + 1 < nb; b += 2) {
      scoreTile(userFactors, users[b] * f, users[b + 1] * f, itemFactors, i0, i1, f, out, b * nItems, (b + 1) * nItems);
    }
    if (b < nb) scoreSingle(userFactors, users[b] * f, itemFactors, i0, i1, f, out, b * nItems);
  }
}

function scoreTile(
  U: Float32Array,
  uo0: number,
  uo1: number,
  V: Float32Array,
  i0: number,
  i1: number,
  f: number,
  out: Float32Array,
  oo0: number,
  oo1: number,
): void {
  let i = i0;
  for (; i + 3 < i1; i += 4) {
    const v0 = i * f;
    const v1 = v0 + f;
    const v2 = v1 + f;
    const v3 = v2 + f;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let k = 0; k < f; k++) {
      const x = U[uo0 + k];
      const y = U[uo1 + k];
      const w0 = V[v0 + k];
      const w1 = V[v1 + k];
      const w2 = V[v2 + k];
      const w3 = V[v3 + k];
      a0 += x * w0;
      a1 += x * w1;
      a2 += x * w2;
      a3 += x * w3;
      b0 += y * w0;
      b1 += y * w1;
      b2 += y * w2;
      b3 += y * w3;
    }
    out[oo0 + i] = a0;
    out[oo0 + i + 1] = a1;
    out[oo0 + i + 2] = a2;
    out[oo0 + i + 3] = a3;
    out[oo1 + i] = b0;
    out[oo1 + i + 1] = b1;
    out[oo1 + i + 2] = b2;
    out[oo1 + i + 3] = b3;
  }
  for (; i < i1; i++) {
    const v0 = i * f;
    let a = 0;
    let c = 0;
    for (let k = 0; k < f; k++) {
      a += U[uo0 + k] * V[v0 + k];
      c += U[uo1 + k] * V[v0 + k];
    }
    out[oo0 + i] = a;
    out[oo1 + i] = c;
  }
}

function scoreSingle(U: Float32Array, uo: number, V: Float32Array, i0: number, i1: number, f: number, out: Float32Array, oo: number): void {
  for (let i = i0; i < i1; i++) {
    const v0 = i * f;
    let a = 0;
    for (let k = 0; k < f; k++) a += U[uo + k] * V[v0 + k];
    out[oo + i] = a;
  }
}
