/** A users × columns sparse matrix in CSR form (rows sorted), without id maps. */
export interface SparseRows {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  readonly nCols: number;
}

/**
 * The columns of `rows` for which `columnIndex[c] ≥ 0`, renumbered to `columnIndex[c]`.
 * The renumbering is increasing in c, so rows stay sorted.
 */
export function selectColumns(rows: SparseRows, columnIndex: Int32Array, nCols: number): SparseRows {
  const nRows = rows.indptr.length - 1;
  let nnz = 0;
  for (let k = 0; k < rows.indices.length; k++) if (columnIndex[rows.indices[k]] >= 0) nnz++;
  const indptr = new Int32Array(nRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let r = 0; r < nRows; r++) {
    for (let k = rows.indptr[r]; k < rows.indptr[r + 1]; k++) {
      const c = columnIndex[rows.indices[k]];
      if (c < 0) continue;
      indices[p] = c;
      values[p] = rows.values[k];
      p++;
    }
    indptr[r + 1] = p;
  }
  return { indptr, indices, values, nCols };
}

/** The transpose (columns × rows), rows sorted. */
export function transposeRows(rows: SparseRows): SparseRows {
  const nRows = rows.indptr.length - 1;
  const indptr = new Int32Array(rows.nCols + 1);
  for (let k = 0; k < rows.indices.length; k++) indptr[rows.indices[k] + 1]++;
  for (let c = 0; c < rows.nCols; c++) indptr[c + 1] += indptr[c];
  const cursor = indptr.slice(0, rows.nCols);
  const indices = new Int32Array(rows.indices.length);
  const values = new Float32Array(rows.indices.length);
  for (let r = 0; r < nRows; r++) {
    for (let k = rows.indptr[r]; k < rows.indptr[r + 1]; k++) {
      const q = cursor[rows.indices[k]]++;
      indices[q] = r;
      values[q] = rows.values[k];
    }
  }
  return { indptr, indices, values, nCols: nRows };
}
