/**
 * Bounded top-k selection. Ties are broken by the lower item index, so results are
 * deterministic. `exclude` is a sorted ascending (duplicates allowed) list of item indices that must not be
 * returned (the user's training items). Runs in O(n log k), never sorts the catalogue.
 * Writes k (or fewer) items best-first into outIdx/outScore and returns how many it wrote;
 * unfilled slots get index -1 and score -Infinity.
 */
export function topK(
  scores: Float32Array | Float64Array,
  k: number,
  outIdx: Int32Array,
  outScore?: Float32Array,
  exclude?: Int32Array,
  offset = 0,
  n = scores.length - offset,
): number {
  if (k <= 0) return 0;
  // min-heap of size k on (score, -index): root is the worst kept element
  const heapI = outIdx;
  const heapS = outScore ?? new Float32Array(k);
  let size = 0;
  let ex = 0;
  const exLen = exclude ? exclude.length : 0;
  while (ex < exLen && exclude![ex] < 0) ex++;
  let nextEx = ex < exLen ? exclude![ex] : -1;
  // worst kept score once the heap is full: anything not above it is skipped with one compare
  // (an equal score comes later, so it has a higher index and loses the tie)
  let floor = -Infinity;
  for (let i = 0; i < n; i++) {
    if (i === nextEx) {
      while (ex < exLen && exclude![ex] <= i) ex++; // tolerate duplicates in exclude
      nextEx = ex < exLen ? exclude![ex] : -1;
      continue;
    }
    const s = Math.fround(scores[offset + i]); // compare at the precision the heap stores
    if (size === k) {
      if (!(s > floor)) continue; // also drops NaN
      siftDown(heapS, heapI, size, s, i);
      floor = heapS[0];
      continue;
    }
    if (s !== s) continue; // NaN never recommended
    // sift up
    let c = size++;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (worse(s, i, heapS[p], heapI[p])) {
        heapS[c] = heapS[p];
        heapI[c] = heapI[p];
        c = p;
      } else break;
    }
    heapS[c] = s;
    heapI[c] = i;
    if (size === k) floor = heapS[0];
  }
  // heap-sort in place: repeatedly move the worst to the end
  for (let end = size - 1; end > 0; end--) {
    const ws = heapS[0];
    const wi = heapI[0];
    const ls = heapS[end];
    const li = heapI[end];
    heapS[end] = ws;
    heapI[end] = wi;
    siftDown(heapS, heapI, end, ls, li);
  }
  for (let j = size; j < k; j++) {
    heapI[j] = -1;
    heapS[j] = -Infinity;
  }
  return size;
}

/** a is worse than b: lower score, or equal score and higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

function siftDown(hs: Float32Array, hi: Int32Array, size: number, s: number, i: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    let m = l;
    if (r < size && worse(hs[r], hi[r], hs[l], hi[l])) m = r;
    if (worse(hs[m], hi[m], s, i)) {
      hs[c] = hs[m];
      hi[c] = hi[m];
      c = m;
    } else break;
  }
  hs[c] = s;
  hi[c] = i;
}
