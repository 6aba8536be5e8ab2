import { ModelFitError } from '@musicrec/core';
import type { DenseMatrix } from '../matrix';
import { checkMatrix } from '../matrix';
import { meanAndStd, quantileOfSorted, sortedColumn } from '../stats/quantiles';

/** How a scaler fills a missing (NaN) value at transform time: the fitted column median or mean, or leave it NaN. */
export type Imputation = 'median' | 'mean' | 'keep';
export const IMPUTATIONS: readonly Imputation[] = ['median', 'mean', 'keep'];

/** Per-column statistics of the non-missing values that every scaler fits from. */
export interface ColumnFit {
  readonly mean: Float64Array;
  readonly std: Float64Array;
  readonly q1: Float64Array;
  readonly median: Float64Array;
  readonly q3: Float64Array;
}

/**
 * Fits per-column statistics, ignoring NaN and rows whose `rowMask` is 0. A column with no
 * values at all gets mean = median = 0 and std = 0 so transforms stay finite.
 */
export function fitColumns(m: DenseMatrix, who: string, rowMask?: Uint8Array): ColumnFit {
  checkMatrix(m, who);
  if (rowMask && rowMask.length !== m.rows) throw new ModelFitError(`${who}: row mask has ${rowMask.length} entries for ${m.rows} rows`);
  const f: ColumnFit = {
    mean: new Float64Array(m.cols),
    std: new Float64Array(m.cols),
    q1: new Float64Array(m.cols),
    median: new Float64Array(m.cols),
    q3: new Float64Array(m.cols),
  };
  for (let c = 0; c < m.cols; c++) {
    const xs = sortedColumn(m.values, m.rows, m.cols, c, rowMask);
    if (xs.length === 0) continue;
    const { mean, std } = meanAndStd(xs);
    f.mean[c] = mean;
    f.std[c] = std;
    f.q1[c] = quantileOfSorted(xs, 0.25);
    f.median[c] = quantileOfSorted(xs, 0.5);
    f.q3[c] = quantileOfSorted(xs, 0.75);
  }
  return f;
}

/** The fill value per column for an imputation rule (NaN for 'keep', so missing stays missing). */
export function fillValues(fit: ColumnFit, impute: Imputation): Float64Array {
  if (impute === 'median') return fit.median.slice();
  if (impute === 'mean') return fit.mean.slice();
  return new Float64Array(fit.mean.length).fill(NaN);
}

/** A scale of 0 (constant column) becomes 1 so the column maps to 0 instead of NaN. */
export function safeScale(s: number): number {
  return s > 0 ? s : 1;
}
