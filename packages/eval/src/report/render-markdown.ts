import { diversityTable, historyTable, isNumericColumn, warmItemsTable, leaderboardTable, mmrCurveCaption, mmrCurveTable, otherCutoffsTable } from './leaderboard';
import type { BenchReport } from './types';

/**
 * The report as Markdown: a header line, the leaderboard sorted by NDCG@10, the other
 * cut-offs, diversity and resources, NDCG@10 by history length, the MMR curve, dataset
 * statistics, then the report's own sections.
 */
export function renderMarkdown(report: BenchReport): string {
  const out: string[] = [];
  out.push(`# ${escapeCell(report.dataset)} leaderboard`, '');
  out.push(headerLine(report), '');
  if (report.rows.length === 0) {
    out.push('_No rows._', '');
  } else {
    out.push('## Leaderboard (sorted by NDCG@10; ranking over all items, training items excluded)', '');
    out.push(markdownTable(leaderboardTable(report.rows, report.protocol)), '');
    const other = otherCutoffsTable(report.rows, report.protocol);
    if (other) {
      out.push('## Other cut-offs', '', markdownTable(other), '');
    }
    out.push('## Diversity and resources', '', markdownTable(diversityTable(report.rows, report.protocol)), '');
    const history = historyTable(report.rows, report.protocol);
    if (history) out.push('## NDCG@10 by training-history length', '', markdownTable(history), '');
    const warm = warmItemsTable(report.rows, report.protocol);
    if (warm) out.push('## Without cold items', '', escapeCell(warm.caption), '', markdownTable(warm), '');
  }
  const mmr = report.curves?.mmr;
  if (mmr && mmr.points.length > 0) {
    out.push('## MMR: accuracy against diversity', '', escapeCell(mmrCurveCaption(mmr)), '', markdownTable(mmrCurveTable(mmr)), '');
  }
  if (report.datasetStats && Object.keys(report.datasetStats).length > 0) {
    out.push('## Dataset', '');
    for (const [key, value] of Object.entries(report.datasetStats)) {
      out.push(`- ${escapeCell(key)}: ${escapeCell(typeof value === 'string' ? value : JSON.stringify(value))}`);
    }
    out.push('');
  }
  for (const section of report.sections ?? []) {
    out.push(`## ${escapeCell(section.title)}`, '', section.markdown.trimEnd(), '');
  }
  return out.join('\n');
}

export function headerLine(report: BenchReport): string {
  const m = report.machine;
  return [
    `protocol: ${report.protocol}`,
    `seed: ${report.seed}`,
    `created: ${report.createdAt}`,
    `machine: ${m.cpus} CPUs, node ${m.node}, GPU: ${m.gpu ?? 'none'}`,
  ]
    .map(escapeCell)
    .join(' · ');
}

export function markdownTable(t: { header: string[]; cells: string[][] }): string {
  const numeric = t.header.map((_, c) => isNumericColumn(t, c));
  const lines = [
    `| ${t.header.map(escapeCell).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...t.cells.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Table cells must not break the row: escape pipes, fold newlines. */
export function escapeCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
