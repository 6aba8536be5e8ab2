import type { DataQualityReport } from './data-quality';

const num = (x: number | null): string => {
  if (x === null) return '—';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2);
  return Number.isInteger(x) ? String(x) : x.toFixed(a >= 100 ? 1 : 3);
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Correlations at least this strong are listed under the matrix. */
const STRONG_CORRELATION = 0.5;

/** The report as readable text: numeric table, categorical table, strong correlations, tags. */
export function formatQualityReport(report: DataQualityReport): string {
  const out: string[] = [`${report.items} items, ${report.itemsWithAudio} with audio features`, ''];
  out.push(
    table(
      ['column', 'count', 'missing', 'min', 'p25', 'median', 'p75', 'max', 'mean', 'std', 'outliers'],
      report.numeric.map((c) => [
        c.column,
        String(c.count),
        String(c.missing),
        num(c.min),
        num(c.quantiles.p25),
        num(c.quantiles.p50),
        num(c.quantiles.p75),
        num(c.max),
        num(c.mean),
        num(c.std),
        String(c.outliers),
      ]),
    ),
  );
  if (report.categorical.length > 0) {
    out.push('', table(['column', 'count', 'missing', 'distinct', 'most frequent'], report.categorical.map((c) => [c.column, String(c.count), String(c.missing), String(c.distinct), c.top.map((t) => `${t.value} (${t.count})`).join(', ')])));
  }
  const { columns, matrix } = report.correlation;
  const strong: [string, number][] = [];
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const r = matrix[i][j];
      if (r !== null && Math.abs(r) >= STRONG_CORRELATION) strong.push([`${columns[i]} ~ ${columns[j]}`, r]);
    }
  }
  strong.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  out.push('', `correlations with |r| ≥ ${STRONG_CORRELATION}: ${strong.length === 0 ? 'none' : ''}`);
  for (const [pair, r] of strong) out.push(`  ${pair}: ${r.toFixed(3)}`);
  if (report.tags) out.push('', `tags: ${report.tags.itemsWithTags} items tagged, ${report.tags.distinctTags} distinct tags, ${report.tags.assignments} assignments`);
  return out.join('\n');
}
