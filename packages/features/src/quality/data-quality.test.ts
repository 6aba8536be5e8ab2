import type { Catalog } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { dataQualityReport, pairwisePearson } from './data-quality';
import { formatQualityReport } from './format-quality';

// energy over items with audio: 0.1, 0.2, 0.3, missing; tempo 100, 110, 120, 400; item 4 has no audio
const catalog: Catalog = {
  itemIds: ['a', 'b', 'c', 'd', 'e'],
  genres: ['pop', null, 'pop', 'rock', 'rock'],
  popularity: Float32Array.from([1, 2, 3, 4, 5]),
  releaseYears: Float32Array.from([2000, 2000, 2000, 2000, NaN]),
  audio: {
    columns: ['energy', 'tempo'],
    values: Float32Array.from([0.1, 100, 0.2, 110, 0.3, 120, NaN, 400, 0.9, 999]),
    present: Uint8Array.from([1, 1, 1, 1, 0]),
  },
  tags: { indptr: Int32Array.from([0, 2, 2, 3, 3, 3]), tagIndices: Int32Array.from([0, 1, 1]), counts: Float32Array.from([1, 1, 1]), tagNames: ['x', 'y'] },
};

describe('dataQualityReport', () => {
  const report = dataQualityReport(catalog);
  const col = (name: string) => report.numeric.find((c) => c.column === name)!;

  it('describes audio columns over items with audio: counts, missing, range, moments', () => {
    expect(report.items).toBe(5);
    expect(report.itemsWithAudio).toBe(4);
    const e = col('energy');
    expect([e.count, e.missing]).toEqual([4, 1]);
    expect(e.min).toBeCloseTo(0.1, 6);
    expect(e.max).toBeCloseTo(0.3, 6);
    expect(e.mean).toBeCloseTo(0.2, 6);
    expect(e.std).toBeCloseTo(Math.sqrt(0.02 / 3), 6);
    expect(e.outliers).toBe(0);
  });

  it('applies the IQR rule: tempo Q1 107.5, Q3 190, upper fence 313.75 → 400 is the one outlier', () => {
    const t = col('tempo');
    expect(t.quantiles.p25).toBe(107.5);
    expect(t.quantiles.p50).toBe(115);
    expect(t.quantiles.p75).toBe(190);
    expect(t.upperFence).toBe(313.75);
    expect(t.outliers).toBe(1);
    expect(col('release_year')).toMatchObject({ count: 5, missing: 1, std: 0, outliers: 0 });
  });

  it('correlates over pairwise-complete items; constant columns give null', () => {
    const { columns, matrix } = report.correlation;
    expect(columns).toEqual(['energy', 'tempo', 'popularity', 'release_year']);
    expect(matrix[0][1]).toBeCloseTo(1, 6); // energy and tempo over a, b, c
    expect(matrix[0][2]).toBeCloseTo(1, 6); // energy and popularity over a, b, c
    expect(matrix[1][2]).toBeCloseTo(pairwisePearson([100, 110, 120, 400], [1, 2, 3, 4]), 6);
    expect(matrix[2][1]).toBe(matrix[1][2]);
    expect(matrix[0][0]).toBe(1);
    expect(matrix[3][3]).toBeNull();
    expect(matrix[0][3]).toBeNull();
  });

  it('summarises categorical columns and tags, and survives JSON', () => {
    expect(report.categorical).toEqual([{ column: 'genre', count: 5, missing: 1, distinct: 2, top: [{ value: 'pop', count: 2 }, { value: 'rock', count: 2 }] }]);
    expect(report.tags).toEqual({ itemsWithTags: 2, distinctTags: 2, assignments: 3 });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('formats as text naming each column, its outliers and the strong correlations', () => {
    const text = formatQualityReport(report);
    expect(text).toMatch(/^5 items, 4 with audio features/);
    expect(text).toMatch(/tempo\s+4\s+0\s+100\s+107\.5\s+115\s+190\s+400\s+182\.5\s+125\.8\s+1\n/);
    expect(text).toContain('energy ~ tempo: 1.000');
    expect(text).toContain('tags: 2 items tagged');
  });
});

describe('pairwisePearson', () => {
  it('is ±1 on exact lines, skips pairs with a missing side, NaN with fewer than two pairs', () => {
    expect(pairwisePearson([1, 2, 3, NaN], [2, 4, 6, 100])).toBeCloseTo(1, 12);
    expect(pairwisePearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // hand-computed: x = 1, 2, 3, 4; y = 1, 3, 2, 4 → Sxy = 4, Sxx = Syy = 5 → r = 0.8
    expect(pairwisePearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(Number.isNaN(pairwisePearson([1, NaN], [NaN, 2]))).toBe(true);
  });
});
