import type { Catalog } from '@musicrec/core';
import { meanAndStd, quantileOfSorted } from '../stats/quantiles';

/** The quantiles every numeric column reports, as fractions. */
export const QUALITY_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export interface NumericColumnQuality {
  readonly column: string;
  /** Items the column applies to (for audio columns: items with an audio profile). */
  readonly count: number;
  readonly missing: number;
  /** null where the column has no values (JSON has no NaN). */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Population standard deviation. */
  readonly std: number | null;
  /** "p1", "p5", "p25", "p50", "p75", "p95", "p99" (linear interpolation). */
  readonly quantiles: Record<string, number | null>;
  /** Values outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. */
  readonly outliers: number;
  readonly lowerFence: number | null;
  readonly upperFence: number | null;
}

export interface CategoricalColumnQuality {
  readonly column: string;
  readonly count: number;
  readonly missing: number;
  readonly distinct: number;
  /** Most frequent values (ties by value), at most 5. */
  readonly top: { value: string; count: number }[];
}

export interface DataQualityReport {
  readonly items: number;
  readonly itemsWithAudio: number;
  readonly numeric: NumericColumnQuality[];
  readonly categorical: CategoricalColumnQuality[];
  /** Pearson correlation of the numeric columns over pairwise-complete items; null where undefined (constant or no overlap). */
  readonly correlation: { columns: string[]; matrix: (number | null)[][] };
  readonly tags: { itemsWithTags: number; distinctTags: number; assignments: number } | null;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** One numeric column: its values (NaN = missing) over `n` items, and which items it applies to. */
interface NumericColumn {
  name: string;
  values: Float32Array;
  applies: Uint8Array | null;
}

function numericColumns(catalog: Catalog): NumericColumn[] {
  const n = catalog.itemIds.length;
  const out: NumericColumn[] = [];
  const audio = catalog.audio;
  if (audio) {
    const k = audio.columns.length;
    audio.columns.forEach((name, c) => {
      const v = new Float32Array(n);
      // items without an audio profile are out of scope for audio columns, not "missing"
      for (let r = 0; r < n; r++) v[r] = audio.present[r] === 1 ? audio.values[r * k + c] : NaN;
      out.push({ name, values: v, applies: audio.present });
    });
  }
  if (catalog.popularity) out.push({ name: 'popularity', values: catalog.popularity, applies: null });
  if (catalog.releaseYears) out.push({ name: 'release_year', values: catalog.releaseYears, applies: null });
  return out;
}

function describeNumeric(col: NumericColumn): NumericColumnQuality {
  const n = col.values.length;
  let count = 0;
  let finite = 0;
  for (let r = 0; r < n; r++) {
    if (col.applies && col.applies[r] !== 1) continue;
    count++;
    if (col.values[r] === col.values[r]) finite++;
  }
  const xs = new Float64Array(finite);
  let k = 0;
  for (let r = 0; r < n; r++) {
    if (col.applies && col.applies[r] !== 1) continue;
    const x = col.values[r];
    if (x === x) xs[k++] = x;
  }
  xs.sort();
  const { mean, std } = meanAndStd(xs);
  const q1 = quantileOfSorted(xs, 0.25);
  const q3 = quantileOfSorted(xs, 0.75);
  const lower = q1 - 1.5 * (q3 - q1);
  const upper = q3 + 1.5 * (q3 - q1);
  let outliers = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] < lower || xs[i] > upper) outliers++;
  const quantiles: Record<string, number | null> = {};
  for (const q of QUALITY_QUANTILES) quantiles[`p${Math.round(q * 100)}`] = finiteOrNull(quantileOfSorted(xs, q));
  return {
    column: col.name,
    count,
    missing: count - finite,
    min: finiteOrNull(xs.length > 0 ? xs[0] : NaN),
    max: finiteOrNull(xs.length > 0 ? xs[xs.length - 1] : NaN),
    mean: finiteOrNull(mean),
    std: finiteOrNull(std),
    quantiles,
    outliers,
    lowerFence: finiteOrNull(lower),
    upperFence: finiteOrNull(upper),
  };
}

/** Pearson r over items where both columns have a value (two-pass: means of the overlap first). */
export function pairwisePearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === a[i] && b[i] === b[i]) {
      n++;
      sa += a[i];
      sb += b[i];
    }
  }
  if (n < 2) return NaN;
  const ma = sa / n;
  const mb = sb / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === a[i] && b[i] === b[i]) {
      const da = a[i] - ma;
      const db = b[i] - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

function describeCategorical(column: string, values: readonly (string | null)[]): CategoricalColumnQuality {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null || v === undefined) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const top = [...counts]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, 5)
    .map(([value, count]) => ({ value, count }));
  return { column, count: values.length, missing, distinct: counts.size, top };
}

/**
 * Per-column summary of a catalog: counts, missing values, range, mean/std, quantiles,
 * IQR-rule outliers, categorical cardinalities and the Pearson correlation matrix.
 * Plain JSON (NaN → null). Audio columns are described over items with an audio profile.
 */
export function dataQualityReport(catalog: Catalog): DataQualityReport {
  const cols = numericColumns(catalog);
  const numeric = cols.map(describeNumeric);
  const matrix: (number | null)[][] = cols.map((_, i) => cols.map((__, j) => (i === j && numeric[i].std ? 1 : null)));
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      const r = finiteOrNull(pairwisePearson(cols[i].values, cols[j].values));
      matrix[i][j] = r;
      matrix[j][i] = r;
    }
  }
  const categorical: CategoricalColumnQuality[] = [];
  const cat = (name: string, values: readonly (string | null)[] | undefined) => {
    if (values) categorical.push(describeCategorical(name, values));
  };
  cat('name', catalog.names);
  cat('artist', catalog.artists);
  cat('genre', catalog.genres);
  cat('subgenre', catalog.subgenres);
  const t = catalog.tags;
  let itemsWithTags = 0;
  if (t) for (let i = 0; i + 1 < t.indptr.length; i++) if (t.indptr[i + 1] > t.indptr[i]) itemsWithTags++;
  let withAudio = 0;
  if (catalog.audio) for (const p of catalog.audio.present) withAudio += p;
  return {
    items: catalog.itemIds.length,
    itemsWithAudio: withAudio,
    numeric,
    categorical,
    correlation: { columns: cols.map((c) => c.name), matrix },
    tags: t ? { itemsWithTags, distinctTags: t.tagNames.length, assignments: t.tagIndices.length } : null,
  };
}
