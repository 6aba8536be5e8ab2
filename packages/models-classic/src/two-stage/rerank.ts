import { topK } from '@musicrec/core';
import { NO_CONTENT_SCORE } from '../content-knn';

/** Scratch for `rerankCandidates`, sized once per scoring call. */
export interface RerankScratch {
  readonly candidates: Int32Array;
  readonly isCandidate: Uint8Array;
}

export function rerankScratch(nCandidates: number, nItems: number): RerankScratch {
  return { candidates: new Int32Array(Math.min(nCandidates, nItems)), isCandidate: new Uint8Array(nItems) };
}

/**
 * One user's two-stage scores into out[outOff .. outOff + n):
 * 1. candidates = the best `scratch.candidates.length` items by content score, `exclude`
 *    (the user's seen items, sorted) left out, items without content (NO_CONTENT_SCORE) dropped;
 * 2. a candidate scores its CF score;
 * 3. every other item scores below every candidate but keeps its CF order:
 *    low − gap − (maxOutside − cf), with low the lowest candidate CF score and gap ≥ 1 —
 *    finite (no −Infinity, so sums, normalisation and the finite-score checks hold), and a
 *    top-k longer than the candidate list continues in CF order instead of arbitrary ties.
 * Returns the number of candidates.
 */
export function rerankCandidates(
  contentScores: Float32Array,
  contentOff: number,
  cfScores: Float32Array,
  cfOff: number,
  n: number,
  exclude: Int32Array | undefined,
  out: Float32Array,
  outOff: number,
  scratch: RerankScratch,
): number {
  const { candidates, isCandidate } = scratch;
  let found = topK(contentScores, candidates.length, candidates, undefined, exclude, contentOff, n);
  while (found > 0 && !(contentScores[contentOff + candidates[found - 1]] > NO_CONTENT_SCORE)) found--;
  let low = Infinity;
  for (let c = 0; c < found; c++) {
    const i = candidates[c];
    isCandidate[i] = 1;
    const s = cfScores[cfOff + i];
    if (s < low) low = s;
  }
  if (found === 0) low = 0;
  let maxOutside = -Infinity;
  for (let i = 0; i < n; i++) if (!isCandidate[i] && cfScores[cfOff + i] > maxOutside) maxOutside = cfScores[cfOff + i];
  const gap = 1 + 1e-3 * Math.abs(low);
  for (let i = 0; i < n; i++) {
    const s = cfScores[cfOff + i];
    out[outOff + i] = isCandidate[i] ? s : low - gap - (maxOutside - s);
  }
  for (let c = 0; c < found; c++) isCandidate[candidates[c]] = 0;
  return found;
}
