import { DataError } from '@musicrec/core';

/**
 * A dense matrix stored row-major: entry (r, c) is `values[r * cols + c]`, the same layout
 * as `catalog.audio.values`. NaN marks a missing value. `columns` names the columns for
 * error messages and reports.
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array;
  readonly columns?: readonly string[];
}

/** Compressed sparse rows; column indices ascending within each row. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export function columnName(m: { columns?: readonly string[] }, c: number): string {
  return m.columns?.[c] ?? `column ${c}`;
}

/**
 * Checks shape and that every value is finite or NaN (missing). ±Infinity is an error rather
 * than "missing" because it usually means a parse or unit bug upstream.
 */
export function checkMatrix(m: DenseMatrix, who: string, expectedCols?: number): void {
  if (m.values.length !== m.rows * m.cols) {
    throw new DataError(`${who}: ${m.rows}×${m.cols} matrix has ${m.values.length} values, expected ${m.rows * m.cols}`);
  }
  if (expectedCols !== undefined && m.cols !== expectedCols) {
    throw new DataError(`${who}: fitted on ${expectedCols} columns, got ${m.cols}`, { field: 'cols' });
  }
  const v = m.values;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === Infinity || v[i] === -Infinity) {
      const r = Math.floor(i / m.cols);
      throw new DataError(`${who}: infinite value ${v[i]} in row ${r}`, { field: columnName(m, i % m.cols) });
    }
  }
}

/** Copies the listed columns (by index) of `m` into a new row-major matrix. */
export function selectColumns(m: DenseMatrix, picks: readonly number[]): DenseMatrix {
  const out = new Float32Array(m.rows * picks.length);
  const k = picks.length;
  for (let r = 0; r < m.rows; r++) {
    const src = r * m.cols;
    const dst = r * k;
    for (let j = 0; j < k; j++) out[dst + j] = m.values[src + picks[j]];
  }
  return { rows: m.rows, cols: k, values: out, columns: m.columns ? picks.map((c) => m.columns![c]) : undefined };
}
