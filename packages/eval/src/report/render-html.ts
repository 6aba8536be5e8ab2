import { esc } from './escape-html';
import {
  diversityTable,
  displayName,
  historyTable,
  warmItemsTable,
  isNumericColumn,
  leaderboardTable,
  mmrCurveCaption,
  mmrCurveTable,
  otherCutoffsTable,
  sortByNdcg10,
} from './leaderboard';
import { mmrCurveSvg } from './mmr-chart';
import { headerLine } from './render-markdown';
import type { BenchReport } from './types';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #1d1d1f; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: #666; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .55rem; text-align: right; white-space: nowrap; }
th { background: #f4f4f6; } td.name, th.name { text-align: left; }
tbody tr:nth-child(odd) { background: #fafafa; }
svg text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
pre { background: #f6f6f8; padding: .8rem; overflow-x: auto; }
`;

/** A self-contained page (inline CSS and SVG, no scripts, every text escaped). */
export function renderHtml(report: BenchReport): string {
  const title = `${report.dataset} leaderboard`;
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(headerLine(report))}</p>`,
  );
  if (report.rows.length === 0) {
    parts.push('<p>No rows.</p>');
  } else {
    parts.push('<h2>NDCG@10</h2>', ndcgChart(report));
    parts.push('<h2>Leaderboard (sorted by NDCG@10; ranking over all items, training items excluded)</h2>');
    parts.push(htmlTable(leaderboardTable(report.rows, report.protocol)));
    const other = otherCutoffsTable(report.rows, report.protocol);
    if (other) parts.push('<h2>Other cut-offs</h2>', htmlTable(other));
    parts.push('<h2>Diversity and resources</h2>', htmlTable(diversityTable(report.rows, report.protocol)));
    const history = historyTable(report.rows, report.protocol);
    if (history) parts.push('<h2>NDCG@10 by training-history length</h2>', htmlTable(history));
    const warm = warmItemsTable(report.rows, report.protocol);
    if (warm) parts.push('<h2>Without cold items</h2>', `<p>${esc(warm.caption)}</p>`, htmlTable(warm));
  }
  const mmr = report.curves?.mmr;
  if (mmr && mmr.points.length > 0) {
    parts.push('<h2>MMR: accuracy against diversity</h2>', `<p>${esc(mmrCurveCaption(mmr))}</p>`, mmrCurveSvg(mmr), htmlTable(mmrCurveTable(mmr)));
  }
  if (report.datasetStats && Object.keys(report.datasetStats).length > 0) {
    parts.push('<h2>Dataset</h2><table><tbody>');
    for (const [key, value] of Object.entries(report.datasetStats)) {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      parts.push(`<tr><th class="name">${esc(key)}</th><td class="name">${esc(shown)}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  // sections are Markdown; shown verbatim rather than through a partial Markdown parser
  for (const s of report.sections ?? []) parts.push(`<h2>${esc(s.title)}</h2>`, `<pre>${esc(s.markdown)}</pre>`);
  parts.push('</body></html>', '');
  return parts.join('\n');
}

function htmlTable(t: { header: string[]; cells: string[][] }): string {
  const text = t.header.map((_, c) => !isNumericColumn(t, c));
  const cls = (c: number): string => (text[c] ? ' class="name"' : '');
  const head = t.header.map((h, c) => `<th${cls(c)}>${esc(h)}</th>`).join('');
  const body = t.cells.map((row) => `<tr>${row.map((v, c) => `<td${cls(c)}>${esc(v)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Horizontal bars of NDCG@10, best first, scaled to the best row. */
function ndcgChart(report: BenchReport): string {
  const rows = sortByNdcg10(report.rows);
  const labelW = 220;
  const barW = 520;
  const rowH = 22;
  const values = rows.map((r) => r.metrics['10']?.ndcg ?? 0);
  const max = Math.max(...values.filter(Number.isFinite), 1e-9);
  const height = rows.length * rowH + 10;
  const bars = rows.map((r, n) => {
    const v = Number.isFinite(values[n]) ? values[n] : 0;
    const w = Math.max(0, (v / max) * barW);
    const y = n * rowH + 5;
    return [
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(displayName(r, report.protocol))}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="#4f6df5"><title>${esc(r.model)}: ${v.toFixed(4)}</title></rect>`,
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${v.toFixed(4)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 80}" height="${height}" role="img" aria-label="NDCG@10 per model">\n${bars.join('\n')}\n</svg>`;
}
