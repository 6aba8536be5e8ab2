import { esc } from './escape-html';
import type { MmrCurve } from './types';

/** Plot area of the chart, in SVG user units. */
export const MMR_CHART = { left: 70, top: 20, width: 460, height: 260, bottom: 50, right: 90 } as const;

/**
 * Maps [lo, hi] linearly onto [from, to]; a degenerate domain (lo = hi) maps to the middle.
 * `to` may be below `from` (SVG y grows downwards).
 */
export function linearScale(lo: number, hi: number, from: number, to: number): (v: number) => number {
  const span = hi - lo;
  return (v) => (span > 0 ? from + ((v - lo) / span) * (to - from) : (from + to) / 2);
}

/** Which measure goes on the x axis: ILS@10 when every point has it, else catalogue coverage. */
export function mmrChartXAxis(curve: MmrCurve): 'ils10' | 'coverage' {
  return curve.points.length > 0 && curve.points.every((p) => p.ils10 !== null && Number.isFinite(p.ils10)) ? 'ils10' : 'coverage';
}

/**
 * SVG coordinates of each point: x from the x-axis measure scaled to the data's range, y from
 * NDCG@10 on [0, best] (a zero baseline, so the chart does not exaggerate the accuracy lost).
 */
export function mmrChartCoordinates(curve: MmrCurve): { x: number; y: number }[] {
  const axis = mmrChartXAxis(curve);
  const xs = curve.points.map((p) => (axis === 'ils10' ? p.ils10! : p.coverage));
  const ys = curve.points.map((p) => p.ndcg10);
  const { left, top, width, height } = MMR_CHART;
  const sx = linearScale(Math.min(...xs), Math.max(...xs), left, left + width);
  const sy = linearScale(0, Math.max(...ys), top + height, top);
  return curve.points.map((_, j) => ({ x: sx(xs[j]), y: sy(ys[j]) }));
}

/**
 * Accuracy (NDCG@10, y) against diversity (ILS@10 — lower is more diverse — or coverage, x),
 * one labelled point per λ joined in λ order. Inline SVG only: the page opens offline.
 */
export function mmrCurveSvg(curve: MmrCurve): string {
  const { left, top, width, height, bottom, right } = MMR_CHART;
  const axis = mmrChartXAxis(curve);
  const pts = mmrChartCoordinates(curve);
  const xOf = (j: number): number => (axis === 'ils10' ? curve.points[j].ils10! : curve.points[j].coverage);
  const xs = curve.points.map((_, j) => xOf(j));
  const ys = curve.points.map((p) => p.ndcg10);
  const xLabel = axis === 'ils10' ? `ILS@10 (${curve.similarity}; lower = more diverse)` : 'catalogue coverage@10';
  const f = (v: number): string => v.toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + right}" height="${top + height + bottom}" role="img" aria-label="MMR accuracy against diversity">`,
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#ccc"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${Math.max(...ys).toFixed(4)}</text>`,
    `<text x="${left - 6}" y="${top + height}" text-anchor="end">0</text>`,
    `<text x="${left}" y="${top + height + 16}" text-anchor="middle">${Math.min(...xs).toFixed(3)}</text>`,
    `<text x="${left + width}" y="${top + height + 16}" text-anchor="middle">${Math.max(...xs).toFixed(3)}</text>`,
    `<text x="${left + width / 2}" y="${top + height + 36}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="14" y="${top + height / 2}" transform="rotate(-90 14 ${top + height / 2})" text-anchor="middle">NDCG@10</text>`,
    `<polyline fill="none" stroke="#4f6df5" stroke-width="2" points="${pts.map((p) => `${f(p.x)},${f(p.y)}`).join(' ')}"/>`,
  ];
  curve.points.forEach((p, j) => {
    const title = `λ = ${p.lambda}: NDCG@10 ${p.ndcg10.toFixed(4)}, ILS@10 ${p.ils10 === null ? '–' : p.ils10.toFixed(4)}, coverage ${p.coverage.toFixed(4)}`;
    parts.push(
      `<circle cx="${f(pts[j].x)}" cy="${f(pts[j].y)}" r="4" fill="#4f6df5"><title>${esc(title)}</title></circle>`,
      `<text x="${f(pts[j].x + 7)}" y="${f(pts[j].y - 7)}">λ=${p.lambda}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
