import type { MmrCurve, ReportRow } from './types';

/** Rows best first by NDCG@10; rows without NDCG@10 go last, in their original order. */
export function sortByNdcg10(rows: readonly ReportRow[]): ReportRow[] {
  const key = (r: ReportRow): number => r.metrics['10']?.ndcg ?? -Infinity;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => key(b.row) - key(a.row) || a.index - b.index)
    .map((x) => x.row);
}

/** The cut-offs present in any row, ascending. */
export function cutoffsOf(rows: readonly ReportRow[]): number[] {
  const ks = new Set<number>();
  for (const r of rows) for (const k of Object.keys(r.metrics)) ks.add(Number(k));
  return [...ks].sort((a, b) => a - b);
}

/** The row's name as shown: its protocol is named when it differs from the report's. */
export function displayName(row: ReportRow, reportProtocol: string): string {
  return row.protocol && row.protocol !== reportProtocol ? `${row.model} [${row.protocol}]` : row.model;
}

export function fmtMetric(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(4);
}

export function fmtSeconds(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

export function fmtCount(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
}

export function runsOn(row: ReportRow): string {
  return `${row.backend ?? '–'} / ${row.inference}`;
}

/** The leaderboard's header and one row of cells per model (shared by Markdown and HTML). */
export function leaderboardTable(rows: readonly ReportRow[], protocol: string): { header: string[]; cells: string[][] } {
  const header = [
    '#',
    'model',
    'HR@10',
    'NDCG@10',
    'P@10',
    'R@10',
    'MAP@10',
    'MRR@10',
    'coverage',
    'ILS',
    'novelty',
    'fit s',
    'p50 / p99 ms',
    'users/s',
    'backend / inference',
  ];
  const cells = sortByNdcg10(rows).map((r, n) => {
    const m = r.metrics['10'];
    return [
      String(n + 1),
      displayName(r, protocol),
      fmtMetric(m?.hitRate),
      fmtMetric(m?.ndcg),
      fmtMetric(m?.precision),
      fmtMetric(m?.recall),
      fmtMetric(m?.map),
      fmtMetric(m?.mrr),
      fmtMetric(r.beyond.coverage),
      fmtMetric(r.beyond.ils),
      Number.isFinite(r.beyond.novelty) ? r.beyond.novelty.toFixed(2) : '–',
      fmtSeconds(r.fitSeconds),
      `${fmtMs(r.latencyMs.p50)} / ${fmtMs(r.latencyMs.p99)}`,
      fmtCount(r.throughputUsersPerSec),
      runsOn(r),
    ];
  });
  return { header, cells };
}

/** HR, NDCG, P, R, MAP at each cut-off other than 10. */
export function otherCutoffsTable(rows: readonly ReportRow[], protocol: string): { header: string[]; cells: string[][] } | null {
  const ks = cutoffsOf(rows).filter((k) => k !== 10);
  if (ks.length === 0) return null;
  const header = ['model'];
  for (const k of ks) header.push(`HR@${k}`, `NDCG@${k}`, `P@${k}`, `R@${k}`, `MAP@${k}`);
  const cells = sortByNdcg10(rows).map((r) => {
    const line = [displayName(r, protocol)];
    for (const k of ks) {
      const m = r.metrics[String(k)];
      line.push(fmtMetric(m?.hitRate), fmtMetric(m?.ndcg), fmtMetric(m?.precision), fmtMetric(m?.recall), fmtMetric(m?.map));
    }
    return line;
  });
  return { header, cells };
}

/** Diversity and resources, where the leaderboard has no room. */
export function diversityTable(rows: readonly ReportRow[], protocol: string): { header: string[]; cells: string[][] } {
  const header = ['model', 'ILS source', 'artist diversity@10', 'genre diversity@10', 'F1@10', 'peak RSS MB', 'p95 ms'];
  const cells = sortByNdcg10(rows).map((r) => [
    displayName(r, protocol),
    r.beyond.ilsSource ?? '–',
    fmtMetric(r.beyond.artistDiversity),
    fmtMetric(r.beyond.genreDiversity),
    fmtMetric(r.metrics['10']?.f1),
    fmtCount(r.peakRssMb),
    fmtMs(r.latencyMs.p95),
  ]);
  return { header, cells };
}

/** Whether every cell of column c reads as a number (right-aligned in both renderings). */
export function isNumericColumn(t: { cells: string[][] }, c: number): boolean {
  return t.cells.length > 0 && t.cells.every((row) => /^[-–\d.,/ ]+$/.test(row[c]));
}

/**
 * NDCG@10 per training-history bucket (rows = models, best first). The header carries each
 * bucket's user count from the first row that has buckets; a row whose count differs (another
 * protocol) shows its own count in the cell. Null when no row has buckets.
 */
export function historyTable(rows: readonly ReportRow[], protocol: string): { header: string[]; cells: string[][] } | null {
  const first = rows.find((r) => r.byHistory);
  if (!first?.byHistory) return null;
  const labels = Object.keys(first.byHistory);
  const header = ['model', ...labels.map((l) => `NDCG@10 ${l} (${fmtCount(first.byHistory![l].users)} users)`)];
  const cells = sortByNdcg10(rows.filter((r) => r.byHistory)).map((r) => [
    displayName(r, protocol),
    ...labels.map((l) => {
      const b = r.byHistory![l];
      if (!b) return '–';
      return b.users === first.byHistory![l].users ? fmtMetric(b.ndcg10) : `${fmtMetric(b.ndcg10)} (${fmtCount(b.users)})`;
    }),
  ]);
  return { header, cells };
}

/**
 * The leaderboard without cold items (rows = models, best first by the full NDCG@10), next to
 * each row's full-protocol NDCG@10 and the share of its top-10 that cold items took. Null when
 * no row has the view or the training matrix has no cold item.
 */
export function warmItemsTable(rows: readonly ReportRow[], protocol: string): { header: string[]; cells: string[][]; caption: string } | null {
  const first = rows.find((r) => r.warmItems);
  // without cold items the view is the leaderboard again
  if (!first?.warmItems || first.warmItems.coldItems === 0) return null;
  const w = first.warmItems;
  const header = ['model', 'NDCG@10 (all items)', 'cold share of top-10', `NDCG@10 warm (${fmtCount(w.users)} users)`, 'HR@10 warm', 'R@20 warm'];
  const cells = sortByNdcg10(rows.filter((r) => r.warmItems)).map((r) => {
    const v = r.warmItems!;
    const ndcg = v.users === w.users ? fmtMetric(v.ndcg10) : `${fmtMetric(v.ndcg10)} (${fmtCount(v.users)})`;
    return [displayName(r, protocol), fmtMetric(r.metrics['10']?.ndcg), fmtMetric(v.coldShareOfTop10), ndcg, fmtMetric(v.hitRate10), fmtMetric(v.recall20)];
  });
  const caption =
    `${fmtCount(w.coldItems)} items have no training interaction and hold ${(100 * w.coldTestShare).toFixed(1)} % of the test interactions. ` +
    'Here they are removed from every ranking and from the relevant items; users left without a relevant item are not counted.';
  return { header, cells, caption };
}

/** The MMR curve's points in the order measured (λ from 1 down). */
export function mmrCurveTable(curve: MmrCurve): { header: string[]; cells: string[][] } {
  return {
    header: ['λ', 'NDCG@10', 'ILS@10', 'coverage'],
    cells: curve.points.map((p) => [p.lambda.toFixed(2), fmtMetric(p.ndcg10), fmtMetric(p.ils10), fmtMetric(p.coverage)]),
  };
}

/** One line naming the curve's base model, its similarity and pool. */
export function mmrCurveCaption(curve: MmrCurve): string {
  const params = curve.baseParams ? ` ${JSON.stringify(curve.baseParams)}` : '';
  const pool = curve.pool !== undefined ? `, pool ${curve.pool} base candidates per user` : '';
  return `MMR over ${curve.base}${params}; similarity and ILS@10: ${curve.similarity}${pool}. λ = 1 is the base order.`;
}
