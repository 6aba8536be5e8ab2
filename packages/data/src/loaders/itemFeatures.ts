import { DataError } from '@musicrec/core';
import type { Catalog, LoadReport } from '@musicrec/core';
import { forEachDelimitedRecord } from './csvRecords';
import { detectSeparator, readFirstLine } from './firstLine';
import { parseNumberField } from './lines';

/** Header names (case-insensitive) that fill the catalog's text and numeric fields. */
const TEXT_FIELDS = { name: 'names', artist: 'artists', genre: 'genres', subgenre: 'subgenres' } as const;
const YEAR_FIELDS = new Set(['year', 'release_year']);
const POPULARITY_FIELD = 'popularity';

/**
 * Reads an item-feature file for the generic loader: delimited (tab if the first line has
 * one, else comma), with a header; the first column is the item id. Columns named name,
 * artist, genre, subgenre, year (or release_year) and popularity fill those catalog fields;
 * every other column must be numeric and becomes a column of `catalog.audio` (NaN where
 * empty). Rows for items without interactions and items without a row are counted.
 */
export async function readItemFeatures(path: string, itemIds: readonly string[], report: LoadReport): Promise<Catalog> {
  const sep = detectSeparator(await readFirstLine(path));
  const index = new Map(itemIds.map((id, k) => [id, k]));
  const nItems = itemIds.length;
  let header: string[] | null = null;
  const textCols: { col: number; key: (typeof TEXT_FIELDS)[keyof typeof TEXT_FIELDS] }[] = [];
  let yearCol = -1;
  let popularityCol = -1;
  const featureCols: number[] = [];
  const text: Partial<Record<(typeof TEXT_FIELDS)[keyof typeof TEXT_FIELDS], (string | null)[]>> = {};
  let years: Float32Array | undefined;
  let popularity: Float32Array | undefined;
  let features = new Float32Array(0);
  const present = new Uint8Array(nItems);
  let unknownItems = 0;
  let rows = 0;

  await forEachDelimitedRecord(path, { encoding: 'utf-8', lineEnding: 'auto' }, sep, (f, line) => {
    if (header === null) {
      header = f;
      const lower = f.map((h) => h.trim().toLowerCase());
      for (let c = 1; c < f.length; c++) {
        const h = lower[c];
        if (h in TEXT_FIELDS) textCols.push({ col: c, key: TEXT_FIELDS[h as keyof typeof TEXT_FIELDS] });
        else if (YEAR_FIELDS.has(h)) yearCol = c;
        else if (h === POPULARITY_FIELD) popularityCol = c;
        else featureCols.push(c);
      }
      for (const { key } of textCols) text[key] = new Array<string | null>(nItems).fill(null);
      if (yearCol >= 0) years = new Float32Array(nItems).fill(NaN);
      if (popularityCol >= 0) popularity = new Float32Array(nItems).fill(NaN);
      features = new Float32Array(nItems * featureCols.length).fill(NaN);
      return;
    }
    if (f.length === 1 && f[0] === '') return;
    if (f.length !== header.length) {
      throw new DataError(`found ${f.length} fields, expected ${header.length} as in the header`, { file: path, line });
    }
    rows++;
    const item = index.get(f[0]);
    if (item === undefined) {
      unknownItems++;
      return;
    }
    if (present[item]) throw new DataError(`item ${f[0]} has a second row`, { file: path, line, field: header[0] });
    present[item] = 1;
    for (const { col, key } of textCols) text[key]![item] = f[col] === '' ? null : f[col];
    if (years) years[item] = f[yearCol] === '' ? NaN : parseNumberField(f[yearCol], path, line, header[yearCol]);
    if (popularity) {
      popularity[item] = f[popularityCol] === '' ? NaN : parseNumberField(f[popularityCol], path, line, header[popularityCol]);
    }
    for (let k = 0; k < featureCols.length; k++) {
      const c = featureCols[k];
      features[item * featureCols.length + k] = f[c] === '' ? NaN : parseNumberField(f[c], path, line, header[c]);
    }
  });
  if (header === null) throw new DataError('item-feature file is empty', { file: path, line: 1 });
  const columns: string[] = header;
  report.files.push({ path, rows });
  if (unknownItems > 0) report.dropped['item-feature row for an item without interactions'] = unknownItems;
  let withRow = 0;
  for (let k = 0; k < nItems; k++) withRow += present[k];
  if (withRow < nItems) report.missing['item features (items without a row)'] = nItems - withRow;

  return {
    itemIds,
    ...text,
    releaseYears: years,
    popularity,
    audio: featureCols.length > 0 ? { columns: featureCols.map((c) => columns[c]), values: features, present } : undefined,
  };
}
