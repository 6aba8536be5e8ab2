import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ConfigError, DataError } from '@musicrec/core';
import type { Interactions, TopKResult } from '@musicrec/core';

export interface RecommendationsCsvReport {
  /** Data rows read (header excluded). */
  rows: number;
  /** Rows whose user id is not in the dataset (skipped). */
  unknownUsers: number;
  /** Rows whose item id is not in the dataset (skipped). */
  unknownItems: number;
  /** Rows with rank > k (skipped). */
  beyondK: number;
  /** Rows of users outside `opts.users`, when given (skipped). */
  otherUsers: number;
}

export interface RecommendationsCsv {
  /** users.length × k; a rank nobody filled stays -1 (a miss). */
  recs: TopKResult;
  users: Int32Array;
  report: RecommendationsCsvReport;
}

/**
 * Reads recommendations made outside musicrec so the same metric code scores them: a CSV
 * with a header naming `user`, `item` and `rank` columns (any order, other columns ignored),
 * ids as the dataset writes them, rank 1 = best. Users are mapped through
 * `interactions.userIds` / `itemIds`. Without `opts.users` the users are those in the file,
 * ascending; pass the test users to charge a user the file leaves out with an empty list.
 * A malformed row (bad rank, empty id, a rank or item given twice for a user) throws a
 * DataError naming file, line and field; ids the dataset lacks are skipped and counted.
 */
export function readRecommendationsCsv(
  path: string,
  interactions: Interactions,
  k: number,
  opts: { users?: Int32Array } = {},
): RecommendationsCsv {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`readRecommendationsCsv: k must be a positive integer, got ${k}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read recommendations: ${(e as Error).message}`, { file: path });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; lines?: number; message: string };
    throw new DataError(`malformed CSV (${err.code ?? 'parse error'}): ${err.message}`, { file: path, line: err.lines });
  }
  if (records.length === 0) throw new DataError('empty file: expected a header with user, item, rank', { file: path, line: 1 });
  const header = records[0].record.map((h) => h.toLowerCase());
  const column = (name: string): number => {
    const c = header.indexOf(name);
    if (c < 0) {
      throw new DataError(`header has no "${name}" column (found: ${records[0].record.join(', ')})`, {
        file: path,
        line: records[0].info.lines,
        field: name,
      });
    }
    return c;
  };
  const userCol = column('user');
  const itemCol = column('item');
  const rankCol = column('rank');

  const userIndex = new Map<string, number>();
  interactions.userIds.forEach((id, u) => userIndex.set(id, u));
  const itemIndex = new Map<string, number>();
  interactions.itemIds.forEach((id, i) => itemIndex.set(id, i));

  const report: RecommendationsCsvReport = { rows: records.length - 1, unknownUsers: 0, unknownItems: 0, beyondK: 0, otherUsers: 0 };
  const nRows = records.length - 1;
  const rowUser = new Int32Array(nRows).fill(-1);
  const rowItem = new Int32Array(nRows);
  const rowRank = new Int32Array(nRows);
  const inFile = new Uint8Array(interactions.nUsers);
  for (let r = 0; r < nRows; r++) {
    const { record, info } = records[r + 1];
    const at = (field: string) => ({ file: path, line: info.lines, field });
    const userId = record[userCol];
    const itemId = record[itemCol];
    const rankText = record[rankCol];
    if (userId === '') throw new DataError('empty user id', at('user'));
    if (itemId === '') throw new DataError('empty item id', at('item'));
    const rank = Number(rankText);
    if (rankText === '' || !Number.isInteger(rank) || rank < 1) {
      throw new DataError(`rank must be an integer ≥ 1, got ${JSON.stringify(rankText)}`, at('rank'));
    }
    const u = userIndex.get(userId);
    if (u === undefined) {
      report.unknownUsers++;
      continue;
    }
    const i = itemIndex.get(itemId);
    if (i === undefined) {
      report.unknownItems++;
      continue;
    }
    if (rank > k) {
      report.beyondK++;
      continue;
    }
    rowUser[r] = u;
    rowItem[r] = i;
    rowRank[r] = rank;
    inFile[u] = 1;
  }

  const users = opts.users ?? usersOf(inFile);
  const rowOf = new Int32Array(interactions.nUsers).fill(-1);
  users.forEach((u, row) => {
    if (!(u >= 0 && u < interactions.nUsers)) throw new ConfigError(`readRecommendationsCsv: user index ${u} out of range`);
    rowOf[u] = row;
  });
  const items = new Int32Array(users.length * k).fill(-1);
  const scores = new Float32Array(users.length * k).fill(-Infinity);
  const lineOf = new Int32Array(users.length * k);
  for (let r = 0; r < nRows; r++) {
    const u = rowUser[r];
    if (u < 0) continue;
    const row = rowOf[u];
    if (row < 0) {
      report.otherUsers++;
      continue;
    }
    const line = records[r + 1].info.lines;
    const slot = row * k + rowRank[r] - 1;
    if (items[slot] >= 0) {
      throw new DataError(
        `rank ${rowRank[r]} given twice for user "${interactions.userIds[u]}" (first on line ${lineOf[slot]})`,
        { file: path, line, field: 'rank' },
      );
    }
    for (let j = row * k; j < row * k + k; j++) {
      if (items[j] === rowItem[r]) {
        throw new DataError(
          `item "${interactions.itemIds[rowItem[r]]}" listed twice for user "${interactions.userIds[u]}" (first on line ${lineOf[j]})`,
          { file: path, line, field: 'item' },
        );
      }
    }
    items[slot] = rowItem[r];
    scores[slot] = -rowRank[r]; // higher is better, as from a model
    lineOf[slot] = line;
  }
  return { recs: { items, scores, k }, users, report };
}

function usersOf(flags: Uint8Array): Int32Array {
  let n = 0;
  for (let u = 0; u < flags.length; u++) n += flags[u];
  const out = new Int32Array(n);
  let p = 0;
  for (let u = 0; u < flags.length; u++) if (flags[u]) out[p++] = u;
  return out;
}
