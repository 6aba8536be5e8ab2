import { basename, extname } from 'node:path';
import { DataError, IdIndex, Interactions, emptyLoadReport } from '@musicrec/core';
import type { Dataset, Sequences } from '@musicrec/core';
import { forEachDelimitedRecord } from './csvRecords';
import { detectSeparator, readFirstLine } from './firstLine';
import { firstTimeSequences, idOrderRank } from './firstTimeSequences';
import { GrowableArray } from './growable';
import { readItemFeatures } from './itemFeatures';
import { parseNumberField } from './lines';

/** A column by header name (needs `header: true`) or by 0-based index. */
export type ColumnRef = string | number;

export interface InteractionsFileOptions {
  path: string;
  /** Field separator; default `auto`: a tab if the first line has one, else a comma. */
  sep?: string;
  userCol: ColumnRef;
  itemCol: ColumnRef;
  /** Interaction strength (play count, rating); 1 per row when absent. */
  weightCol?: ColumnRef;
  /** Numeric time (e.g. epoch seconds); gives interaction timestamps and per-user sequences. */
  timeCol?: ColumnRef;
  /** The first line names the columns. */
  header: boolean;
  /** Optional item-feature file (see `readItemFeatures`). */
  itemFeatures?: string;
  /** Dataset name; defaults to the file name without extension. */
  name?: string;
}

/**
 * Loads any delimited interactions file (CSV, TSV, MovieLens `u.data`...) into a Dataset.
 * Ids keep the file's strings, dense indices follow first appearance. Repeated
 * (user, item) rows are merged (weights summed, earliest time kept) and counted. Every bad
 * input is a DataError naming the file, the 1-based line and the field.
 */
export async function loadInteractionsFile(options: InteractionsFileOptions): Promise<Dataset> {
  const { path } = options;
  const report = emptyLoadReport();
  const firstLine = await readFirstLine(path).catch((e: Error) => {
    throw new DataError(`cannot read interactions file: ${e.message}`, { file: path });
  });
  const sep = options.sep === undefined || options.sep === 'auto' ? detectSeparator(firstLine) : options.sep;
  if (sep === '') throw new DataError('separator must not be empty', { file: path, field: 'sep' });

  const users = new IdIndex();
  const items = new IdIndex();
  const u = new GrowableArray(Int32Array, 1 << 16);
  const i = new GrowableArray(Int32Array, 1 << 16);
  const w = options.weightCol !== undefined ? new GrowableArray(Float32Array, 1 << 16) : null;
  const t = options.timeCol !== undefined ? new GrowableArray(Float64Array, 1 << 16) : null;
  let layout: ColumnLayout | null = null;
  let blankLines = 0;
  let dataRows = 0;

  const lines = await forEachDelimitedRecord(path, { encoding: 'utf-8', lineEnding: 'auto' }, sep, (fields, line) => {
    if (layout === null) {
      layout = resolveColumns(options, fields, sep, path);
      if (options.header) return;
    }
    if (fields.length === 1 && fields[0] === '') {
      blankLines++;
      return;
    }
    const c = layout;
    if (fields.length !== c.nFields) {
      throw new DataError(`found ${fields.length} fields, expected ${c.nFields} as on line 1`, { file: path, line });
    }
    const userId = fields[c.user];
    const itemId = fields[c.item];
    if (userId === '') throw new DataError('empty user id', { file: path, line, field: c.names.user });
    if (itemId === '') throw new DataError('empty item id', { file: path, line, field: c.names.item });
    u.push(users.add(userId));
    i.push(items.add(itemId));
    if (w) w.push(parseNumberField(fields[c.weight], path, line, c.names.weight));
    if (t) t.push(parseNumberField(fields[c.time], path, line, c.names.time));
    dataRows++;
  });
  if (lines === 0) throw new DataError('file is empty', { file: path, line: 1 });
  if (dataRows === 0) throw new DataError('no data rows', { file: path });
  report.files.push({ path, rows: dataRows });
  if (blankLines > 0) report.dropped['blank line'] = blankLines;

  const interactions = Interactions.fromTriples(u.view(), i.view(), w ? w.view() : null, users.ids, items.ids, t?.view());
  if (dataRows > interactions.nnz) {
    report.dropped['duplicate user-item row (merged: weights summed, earliest time kept)'] = dataRows - interactions.nnz;
  }
  let sequences: Sequences | undefined;
  if (t) sequences = firstTimeSequences(u.view(), i.view(), t.view(), users.ids, items.ids, idOrderRank(items.ids));
  const catalog = options.itemFeatures
    ? await readItemFeatures(options.itemFeatures, items.ids, report)
    : { itemIds: items.ids };
  const name = options.name ?? basename(path, extname(path));
  return { name, interactions, catalog, sequences, loadReport: report };
}

interface ColumnLayout {
  nFields: number;
  user: number;
  item: number;
  weight: number;
  time: number;
  /** How each column is named in errors. */
  names: { user: string; item: string; weight: string; time: string };
}

/** Checks the requested columns against line 1 and turns them into field indices. */
function resolveColumns(options: InteractionsFileOptions, firstFields: string[], sep: string, path: string): ColumnLayout {
  const refs = [options.userCol, options.itemCol, options.weightCol, options.timeCol].filter((r) => r !== undefined);
  if (firstFields.length === 1 && new Set(refs).size >= 2) {
    throw new DataError(`found 1 field; is the separator right? (sep=${JSON.stringify(sep)})`, { file: path, line: 1 });
  }
  const nFields = firstFields.length;
  const find = (ref: ColumnRef | undefined, role: string): { index: number; name: string } => {
    if (ref === undefined) return { index: -1, name: role };
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= nFields) {
        throw new DataError(`${role} column index ${ref} is out of range: line 1 has ${nFields} fields (0-based indices 0..${nFields - 1})`, {
          file: path,
          line: 1,
          field: `column ${ref}`,
        });
      }
      return { index: ref, name: options.header ? firstFields[ref] : `column ${ref}` };
    }
    if (!options.header) {
      throw new DataError(`${role} column is given by name, but header is false; give a 0-based index or set header`, {
        file: path,
        line: 1,
        field: ref,
      });
    }
    const index = firstFields.indexOf(ref);
    if (index < 0) {
      throw new DataError(`no ${role} column named ${JSON.stringify(ref)}; the header has: ${firstFields.join(', ')}`, {
        file: path,
        line: 1,
        field: ref,
      });
    }
    return { index, name: ref };
  };
  const user = find(options.userCol, 'user');
  const item = find(options.itemCol, 'item');
  const weight = find(options.weightCol, 'weight');
  const time = find(options.timeCol, 'time');
  return {
    nFields,
    user: user.index,
    item: item.index,
    weight: weight.index,
    time: time.index,
    names: { user: user.name, item: item.name, weight: weight.name, time: time.name },
  };
}
