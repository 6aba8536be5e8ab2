import { describe, expect, it } from 'vitest';
import { Interactions } from '@musicrec/core';
import { countQuantiles, datasetStats, formatStats, gini, quantileSorted } from './stats';

describe('gini', () => {
  it('is 0 when all values are equal (and for all zeros or no values)', () => {
    expect(gini([4, 4, 4, 4])).toBe(0);
    expect(gini([0, 0, 0])).toBe(0);
    expect(gini([])).toBe(0);
  });

  it('is (n - 1)/n when one item has everything', () => {
    expect(gini([0, 0, 0, 9])).toBeCloseTo(3 / 4, 12);
    expect(gini([5, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBeCloseTo(9 / 10, 12);
  });

  it('matches a hand computation on an uneven vector', () => {
    // sorted [1, 2, 3, 4]: Σ (2i - n - 1) x_i = -3·1 - 1·2 + 1·3 + 3·4 = 10; n Σx = 4 · 10 → 0.25
    expect(gini([3, 1, 4, 2])).toBeCloseTo(0.25, 12);
  });
});

describe('quantiles', () => {
  it('interpolate linearly between order statistics', () => {
    const sorted = [1, 2, 4, 8, 16];
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 0.5)).toBe(4);
    expect(quantileSorted(sorted, 0.25)).toBe(2);
    expect(quantileSorted(sorted, 0.9)).toBeCloseTo(8 + 0.6 * 8, 12); // pos 3.6
    expect(quantileSorted(sorted, 1)).toBe(16);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });

  it('summarise counts with the mean', () => {
    const q = countQuantiles(Int32Array.from([3, 0, 1, 2]));
    // sorted [0, 1, 2, 3]: position q·3
    expect(q).toMatchObject({ min: 0, p25: 0.75, median: 1.5, p75: 2.25, max: 3, mean: 1.5 });
    expect(q.p90).toBeCloseTo(2.7, 12);
    expect(q.p99).toBeCloseTo(2.97, 12);
  });
});

describe('datasetStats', () => {
  // 3 users × 4 items: a → {0, 1, 2}, b → {0}, c → {} ; item 3 is never used
  const x = Interactions.fromTriples([0, 0, 0, 1], [0, 1, 2, 0], null, ['a', 'b', 'c'], ['w', 'x', 'y', 'z'], [5, 9, 7, 2]);
  const stats = datasetStats(x);

  it('computes sizes, density, cold counts and the item Gini by hand', () => {
    expect(stats.users).toBe(3);
    expect(stats.items).toBe(4);
    expect(stats.interactions).toBe(4);
    expect(stats.density).toBeCloseTo(4 / 12, 12);
    expect(stats.coldUsers).toBe(1);
    expect(stats.coldItems).toBe(1);
    // item counts [2, 1, 1, 0] → sorted [0, 1, 1, 2]: (-3·0 - 1·1 + 1·1 + 3·2) / (4 · 4) = 6/16
    expect(stats.itemGini).toBeCloseTo(0.375, 12);
    expect(stats.timeRange).toEqual({ first: 2, last: 9 });
  });

  it('per-user and per-item quantiles', () => {
    // per user [3, 1, 0] → sorted [0, 1, 3]
    expect(stats.perUser.min).toBe(0);
    expect(stats.perUser.median).toBe(1);
    expect(stats.perUser.p25).toBe(0.5);
    expect(stats.perUser.p75).toBe(2);
    expect(stats.perUser.max).toBe(3);
    expect(stats.perUser.mean).toBeCloseTo(4 / 3, 12);
    // per item [2, 1, 1, 0] → sorted [0, 1, 1, 2]
    expect(stats.perItem.median).toBe(1);
    expect(stats.perItem.p90).toBeCloseTo(1.7, 12); // pos 2.7
    expect(stats.perItem.mean).toBe(1);
  });

  it('formats a readable table', () => {
    const text = formatStats(stats);
    expect(text).toContain('interactions  4');
    expect(text).toContain('density       33.3333%');
    expect(text).toContain('item Gini     0.3750');
    expect(text).toMatch(/\n\s+min\s+p25\s+median\s+p75\s+p90\s+p99\s+max\s+mean\n/);
    expect(text).toMatch(/per user\s+0\s+0\.5\s+1\s+2\s+2\.6\s+2\.96\s+3\s+1\.33/);
    expect(text).toMatch(/per item\s+0\s+0\.75\s+1\s+1\.25\s+1\.7\s+1\.97\s+2\s+1/);
  });
});
