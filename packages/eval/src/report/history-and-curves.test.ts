import { DataError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { makeReport, makeRow } from '../testing/reports';
import { MMR_CHART, linearScale, mmrChartCoordinates } from './mmr-chart';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import type { MmrCurve } from './types';
import { validateReport } from './validate-report';

const buckets = (a: number, b: number, c: number, users = [120, 900, 800]) => ({
  '1-2': { users: users[0], ndcg10: a, hitRate10: a * 2, recall20: a * 3 },
  '3-10': { users: users[1], ndcg10: b, hitRate10: b * 2, recall20: b * 3 },
  '11+': { users: users[2], ndcg10: c, hitRate10: c * 2, recall20: c * 3 },
});

const curve: MmrCurve = {
  base: 'ials',
  baseParams: { factors: 64 },
  similarity: 'audio',
  pool: 100,
  points: [
    { lambda: 1, ndcg10: 0.3, ils10: 0.6, coverage: 0.1 },
    { lambda: 0.7, ndcg10: 0.25, ils10: 0.4, coverage: 0.15 },
    { lambda: 0.3, ndcg10: 0.1, ils10: 0.2, coverage: 0.3 },
  ],
};

const report = makeReport(
  [
    makeRow('popularity', 0.1, { byHistory: buckets(0.05, 0.1, 0.12) }),
    makeRow('ials', 0.3, { byHistory: buckets(0.2, 0.3, 0.31) }),
    makeRow('sasrec', 0.2, { protocol: 'leave-last-out', byHistory: buckets(0.15, 0.2, 0.2, [30, 900, 800]) }),
    makeRow('old-row', 0.05),
  ],
  { curves: { mmr: curve } },
);

describe('history-length bucket table', () => {
  it('Markdown: one row per model with buckets, best first, user counts in the header', () => {
    const md = renderMarkdown(report);
    const lines = md.split('\n');
    const at = lines.indexOf('## NDCG@10 by training-history length');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]).toBe('| model | NDCG@10 1-2 (120 users) | NDCG@10 3-10 (900 users) | NDCG@10 11+ (800 users) |');
    expect(lines.slice(at + 4, at + 7)).toEqual([
      '| ials | 0.2000 | 0.3000 | 0.3100 |',
      '| sasrec [leave-last-out] | 0.1500 (30) | 0.2000 | 0.2000 |',
      '| popularity | 0.0500 | 0.1000 | 0.1200 |',
    ]);
    expect(lines[at + 7]).toBe('');
  });

  it('is left out when no row has buckets (older reports)', () => {
    expect(renderMarkdown(makeReport([makeRow('a', 0.1)]))).not.toContain('training-history');
    expect(renderHtml(makeReport([makeRow('a', 0.1)]))).not.toContain('training-history');
  });
});

describe('MMR curve', () => {
  it('maps points linearly onto the plot area: NDCG from 0 (bottom) to the best (top), ILS from its min (left) to its max', () => {
    const { left, top, width, height } = MMR_CHART;
    const pts = mmrChartCoordinates(curve);
    expect(pts[0]).toEqual({ x: left + width, y: top }); // ILS .6 (max), NDCG .3 (max)
    // λ = .3: ILS .2 (min) at the left, NDCG .1 a third of the way up from 0
    expect(pts[2].x).toBe(left);
    expect(pts[2].y).toBeCloseTo(top + (height * 2) / 3, 9);
    // λ = .7: ILS .4 is half way, NDCG .25 is five sixths up
    expect(pts[1].x).toBeCloseTo(left + width / 2, 9);
    expect(pts[1].y).toBeCloseTo(top + height / 6, 9);
    expect(linearScale(2, 2, 0, 10)(2)).toBe(5);
  });

  it('falls back to coverage on the x axis when a point has no ILS', () => {
    const noIls: MmrCurve = { ...curve, points: curve.points.map((p) => ({ ...p, ils10: null })) };
    const pts = mmrChartCoordinates(noIls);
    expect(pts[0].x).toBe(MMR_CHART.left); // coverage .1 is the smallest
    expect(pts[2].x).toBe(MMR_CHART.left + MMR_CHART.width);
  });

  it('HTML draws the points as inline SVG circles at those coordinates, with no external resources', () => {
    const html = renderHtml(report);
    const circles = [...html.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // y = 20 + 260 · (1 − ndcg / .3): .3 → 20, .25 → 63.3, .1 → 193.3
    expect(circles).toEqual([
      [530, 20],
      [300, 63.3],
      [70, 193.3],
    ]);
    expect(html).toContain('<polyline fill="none" stroke="#4f6df5" stroke-width="2" points="530.0,20.0 300.0,63.3 70.0,193.3"/>');
    expect(html).toContain('ILS@10 (audio; lower = more diverse)');
    expect(html).not.toMatch(/<script|<link|src=|href=/);
  });

  it('Markdown shows the curve as a table under its caption', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('MMR over ials {"factors":64}; similarity and ILS@10: audio, pool 100 base candidates per user.');
    expect(md).toContain('| λ | NDCG@10 | ILS@10 | coverage |');
    expect(md).toContain('| 0.70 | 0.2500 | 0.4000 | 0.1500 |');
  });
});

describe('validateReport with buckets and curves', () => {
  const json = (): Record<string, any> => JSON.parse(JSON.stringify(report));

  it('accepts them and round-trips unchanged', () => {
    expect(validateReport(json())).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('names a bad bucket value or curve point', () => {
    const bad = json();
    bad.rows[1].byHistory['3-10'].ndcg10 = 'x';
    expect(() => validateReport(bad)).toThrow('field "rows[1].byHistory.3-10.ndcg10": expected number, got string "x"');
    const badPoint = json();
    delete badPoint.curves.mmr.points[2].coverage;
    expect(() => validateReport(badPoint)).toThrow(DataError);
    expect(() => validateReport(badPoint)).toThrow('field "curves.mmr.points[2].coverage": expected number, got nothing (missing)');
    const nullIls = json();
    nullIls.curves.mmr.points[0].ils10 = null;
    expect(validateReport(nullIls).curves!.mmr!.points[0].ils10).toBeNull();
  });
});
