/**
 * Maximal Marginal Relevance (Carbonell & Goldstein, 1998): greedily picks
 *   argmax_{i ∈ C \ S}  λ · rel(i) − (1 − λ) · max_{j ∈ S} sim(i, j)
 * until k items are chosen (the first pick has S = ∅, so its penalty is 0).
 * `relevance[c]` belongs to `candidates[c]` and is min–max normalised over the candidates
 * first ((r − min) / (max − min); all 1 when they are equal), so λ trades relevance against
 * similarity on the same [0, 1]-ish scale whatever the base model's score range.
 * Ties go to the higher relevance, then to the earlier position in `candidates`.
 * Returns min(k, candidates.length) item indices in pick order. O(k · |C|) similarity calls.
 */
export function mmrRerank(
  candidates: Int32Array,
  relevance: Float32Array,
  k: number,
  lambda: number,
  similarity: (i: number, j: number) => number,
): Int32Array {
  const n = candidates.length;
  if (relevance.length !== n) throw new RangeError(`mmrRerank: ${relevance.length} relevance values for ${n} candidates`);
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`mmrRerank: lambda must be in [0, 1], got ${lambda}`);
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`mmrRerank: k must be an integer >= 0, got ${k}`);
  const picks = Math.min(k, n);
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < n; c++) {
    if (relevance[c] < min) min = relevance[c];
    if (relevance[c] > max) max = relevance[c];
  }
  const span = max - min;
  const rel = new Float64Array(n);
  for (let c = 0; c < n; c++) rel[c] = span > 0 ? (relevance[c] - min) / span : 1;

  // max similarity of each remaining candidate to the picked set, updated after every pick
  const maxSim = new Float64Array(n);
  const taken = new Uint8Array(n);
  const out = new Int32Array(picks);
  for (let r = 0; r < picks; r++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < n; c++) {
      if (taken[c]) continue;
      const score = lambda * rel[c] - (r === 0 ? 0 : (1 - lambda) * maxSim[c]);
      if (best < 0 || score > bestScore || (score === bestScore && rel[c] > rel[best])) {
        best = c;
        bestScore = score;
      }
    }
    taken[best] = 1;
    out[r] = candidates[best];
    for (let c = 0; c < n; c++) {
      if (taken[c]) continue;
      const s = similarity(candidates[c], candidates[best]);
      if (r === 0 || s > maxSim[c]) maxSim[c] = s;
    }
  }
  return out;
}
