import type { Interactions } from '@musicrec/core';

/** Distribution of a per-user or per-item count; quantiles interpolate linearly (numpy's default). */
export interface CountQuantiles {
  min: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface DatasetStats {
  users: number;
  items: number;
  interactions: number;
  /** interactions / (users × items). */
  density: number;
  /** Interactions per user. */
  perUser: CountQuantiles;
  /** Interactions (users) per item. */
  perItem: CountQuantiles;
  /** Gini coefficient of per-item interaction counts: 0 all equal, (n-1)/n one item has all. */
  itemGini: number;
  /** Users without any interaction. */
  coldUsers: number;
  /** Items without any interaction. */
  coldItems: number;
  /** Earliest and latest timestamp, when the matrix has timestamps. */
  timeRange?: { first: number; last: number };
}

/** Quantile q ∈ [0, 1] of an ascending array, interpolating between neighbours. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

export function countQuantiles(counts: Int32Array): CountQuantiles {
  const sorted = Int32Array.from(counts).sort();
  let sum = 0;
  for (let k = 0; k < sorted.length; k++) sum += sorted[k];
  const n = sorted.length;
  return {
    min: n > 0 ? sorted[0] : NaN,
    p25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    max: n > 0 ? sorted[n - 1] : NaN,
    mean: n > 0 ? sum / n : NaN,
  };
}

/**
 * Gini coefficient of non-negative values: G = Σᵢ (2i − n − 1)·xᵢ / (n · Σ x) over the values
 * sorted ascending (i from 1). 0 when all are equal (or all zero), (n − 1)/n when one has all.
 */
export function gini(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return n === 0 || sum === 0 ? 0 : weighted / (n * sum);
}

export function datasetStats(interactions: Interactions): DatasetStats {
  const userCounts = interactions.userCounts();
  const itemCounts = interactions.itemCounts();
  let coldUsers = 0;
  for (let u = 0; u < userCounts.length; u++) if (userCounts[u] === 0) coldUsers++;
  let coldItems = 0;
  for (let i = 0; i < itemCounts.length; i++) if (itemCounts[i] === 0) coldItems++;
  const stats: DatasetStats = {
    users: interactions.nUsers,
    items: interactions.nItems,
    interactions: interactions.nnz,
    density: interactions.density,
    perUser: countQuantiles(userCounts),
    perItem: countQuantiles(itemCounts),
    itemGini: gini(itemCounts),
    coldUsers,
    coldItems,
  };
  const ts = interactions.timestamps;
  if (ts && ts.length > 0) {
    let first = Infinity;
    let last = -Infinity;
    for (let k = 0; k < ts.length; k++) {
      if (ts[k] < first) first = ts[k];
      if (ts[k] > last) last = ts[k];
    }
    stats.timeRange = { first, last };
  }
  return stats;
}

const QUANTILE_COLUMNS: (keyof CountQuantiles)[] = ['min', 'p25', 'median', 'p75', 'p90', 'p99', 'max', 'mean'];

function formatNumber(x: number): string {
  if (Number.isNaN(x)) return '-';
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A plain-text table of the statistics, for the terminal and Markdown code blocks. */
export function formatStats(stats: DatasetStats): string {
  const facts: [string, string][] = [
    ['users', formatNumber(stats.users)],
    ['items', formatNumber(stats.items)],
    ['interactions', formatNumber(stats.interactions)],
    ['density', `${(stats.density * 100).toFixed(4)}%`],
    ['item Gini', stats.itemGini.toFixed(4)],
    ['cold users', formatNumber(stats.coldUsers)],
    ['cold items', formatNumber(stats.coldItems)],
  ];
  if (stats.timeRange) {
    facts.push(['time range', `${stats.timeRange.first} .. ${stats.timeRange.last}`]);
  }
  const labelWidth = Math.max(...facts.map(([l]) => l.length));
  const lines = facts.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value}`);
  const rows: [string, CountQuantiles][] = [
    ['per user', stats.perUser],
    ['per item', stats.perItem],
  ];
  const cells = rows.map(([, q]) => QUANTILE_COLUMNS.map((c) => formatNumber(q[c])));
  const widths = QUANTILE_COLUMNS.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const first = Math.max(...rows.map(([l]) => l.length));
  lines.push('');
  lines.push(`${''.padEnd(first)}  ${QUANTILE_COLUMNS.map((c, j) => c.padStart(widths[j])).join('  ')}`);
  rows.forEach(([label], r) => {
    lines.push(`${label.padEnd(first)}  ${cells[r].map((v, j) => v.padStart(widths[j])).join('  ')}`);
  });
  return lines.join('\n');
}
