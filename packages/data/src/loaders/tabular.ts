import { DataError } from '@musicrec/core';
import { forEachLine } from './lines';
import type { TextFormat } from './lines';

/** Called per data row with its fields and 1-based line number; `fields` is reused between calls' lifetimes only. */
export type RowHandler = (fields: string[], lineNumber: number) => void;

/**
 * Reads a delimited file whose first line must be exactly `header`, and whose every data
 * line has exactly as many fields. Returns the number of data rows. For the fixed-format
 * files of known datasets (no quoting).
 */
export async function forEachFixedRow(
  path: string,
  format: TextFormat,
  sep: string,
  header: readonly string[],
  onRow: RowHandler,
): Promise<number> {
  let rows = 0;
  const lines = await forEachLine(path, format, (line, lineNumber) => {
    const fields = line.split(sep);
    if (lineNumber === 1) {
      if (fields.length !== header.length || fields.some((f, k) => f !== header[k])) {
        throw new DataError(`expected the header ${JSON.stringify(header.join(sep))}, found ${JSON.stringify(line)}`, {
          file: path,
          line: 1,
        });
      }
      return;
    }
    if (fields.length !== header.length) {
      throw new DataError(`found ${fields.length} fields, expected ${header.length} (${header.join(', ')})`, {
        file: path,
        line: lineNumber,
      });
    }
    rows++;
    onRow(fields, lineNumber);
  });
  if (lines === 0) throw new DataError('file is empty', { file: path });
  return rows;
}
