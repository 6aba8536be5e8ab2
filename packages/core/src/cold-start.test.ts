import { describe, expect, it } from 'vitest';
import { COLD_START_SCORER } from './abilities';
import { isColdStartScorer, recommendFromLiked, type ColdStartScorer } from './cold-start';

/** Scores item i as i, plus 10 for each liked item's right-hand neighbour (times its weight). */
const neighbourScorer: ColdStartScorer = {
  [COLD_START_SCORER]: true,
  scoreFromItems(items, weights, out) {
    const s = out ?? new Float32Array(6);
    for (let i = 0; i < 6; i++) s[i] = i;
    items.forEach((item, q) => {
      if (item + 1 < 6) s[item + 1] += 10 * (weights ? weights[q] : 1);
    });
    return s;
  },
};

describe('recommendFromLiked', () => {
  it('excludes the liked items by default and ranks the rest best first', () => {
    // liked 3 and 1 → scores 0, 1, 12, 3, 14, 5 → unliked best first: 4, 2, 5, 0
    const top = recommendFromLiked(neighbourScorer, Int32Array.of(3, 1), 4);
    expect(Array.from(top.items)).toEqual([4, 2, 5, 0]);
    expect(Array.from(top.scores)).toEqual([14, 12, 5, 0]);
    expect(top.k).toBe(4);
  });

  it('keeps liked items when asked, applies weights and extra exclusions, pads with -1', () => {
    const kept = recommendFromLiked(neighbourScorer, Int32Array.of(1), 2, { excludeLiked: false });
    expect(Array.from(kept.items)).toEqual([2, 5]);
    // weight 0.1 on item 3: item 4 scores 5, ties with item 5 → lower index first
    const weighted = recommendFromLiked(neighbourScorer, Int32Array.of(3), 2, { weights: Float32Array.of(0.1) });
    expect(Array.from(weighted.items)).toEqual([4, 5]);
    const padded = recommendFromLiked(neighbourScorer, Int32Array.of(0), 7, { exclude: Int32Array.of(5, 2) });
    expect(Array.from(padded.items)).toEqual([1, 4, 3, -1, -1, -1, -1]);
  });

  it('rejects a bad k or mismatched weights', () => {
    expect(() => recommendFromLiked(neighbourScorer, Int32Array.of(1), -1)).toThrow(/k must be/);
    expect(() => recommendFromLiked(neighbourScorer, Int32Array.of(1, 2), 3, { weights: Float32Array.of(1) })).toThrow(
      /1 weights for 2 liked items/,
    );
  });
});

describe('isColdStartScorer', () => {
  it('recognises scoreFromItems', () => {
    expect(isColdStartScorer(neighbourScorer)).toBe(true);
    expect(isColdStartScorer({ scoreUsers: () => new Float32Array(0) })).toBe(false);
    expect(isColdStartScorer(null)).toBe(false);
    // the method alone is not the contract: only the declared brand is
    expect(isColdStartScorer({ scoreFromItems: neighbourScorer.scoreFromItems })).toBe(false);
  });
});
