import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { DataError, Interactions } from '@musicrec/core';
import type { ProtocolName, Split } from '@musicrec/core';
import { unionDisjoint } from './partition';

export const SPLIT_PARTS = ['train', 'validation', 'test'] as const;
export type SplitPartName = (typeof SPLIT_PARTS)[number];

/** Contents of `split.json` next to the three CSV files. */
export interface SplitManifest {
  format: 1;
  protocol: ProtocolName;
  seed: number;
  users: number;
  items: number;
  timestamps: boolean;
  counts: Record<SplitPartName, number>;
}

const PROTOCOLS: readonly ProtocolName[] = ['holdout', 'leave-last-out', 'temporal', 'sampled-100'];
const LINES_PER_WRITE = 50_000;

/** RFC 4180 quoting, only where a field needs it (dataset ids may hold commas or quotes). */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writePartCsv(path: string, x: Interactions, withTimestamps: boolean): Promise<void> {
  const file = await open(path, 'w');
  try {
    const userField = x.userIds.map(csvField);
    const itemField = x.itemIds.map(csvField);
    let chunk = withTimestamps ? 'user,item,weight,timestamp\n' : 'user,item,weight\n';
    let lines = 0;
    for (let u = 0; u < x.nUsers; u++) {
      for (let k = x.indptr[u]; k < x.indptr[u + 1]; k++) {
        // String() of a float32 widened to double parses back to the same float32
        chunk += `${userField[u]},${itemField[x.indices[k]]},${x.values[k]}`;
        chunk += withTimestamps ? `,${x.timestamps![k]}\n` : '\n';
        if (++lines === LINES_PER_WRITE) {
          await file.write(chunk);
          chunk = '';
          lines = 0;
        }
      }
    }
    await file.write(chunk);
  } finally {
    await file.close();
  }
}

/**
 * Writes `train.csv`, `validation.csv`, `test.csv` (header `user,item,weight[,timestamp]`,
 * the dataset's own ids) and `split.json`, so an outside library can train and be scored
 * on exactly this split.
 */
export async function exportSplitCsv(split: Split, dir: string): Promise<SplitManifest> {
  await mkdir(dir, { recursive: true });
  const withTimestamps = SPLIT_PARTS.every((p) => split[p].timestamps !== undefined);
  for (const part of SPLIT_PARTS) await writePartCsv(join(dir, `${part}.csv`), split[part], withTimestamps);
  const manifest: SplitManifest = {
    format: 1,
    protocol: split.protocol,
    seed: split.seed,
    users: split.train.nUsers,
    items: split.train.nItems,
    timestamps: withTimestamps,
    counts: { train: split.train.nnz, validation: split.validation.nnz, test: split.test.nnz },
  };
  await writeFile(join(dir, 'split.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

interface ParsedPart {
  path: string;
  users: number[];
  items: number[];
  weights: number[];
  timestamps: number[] | undefined;
}

/**
 * The file line where the record-th record (0 = header) starts. Parsing with line info
 * costs twice the time, so it only runs on the error path.
 */
async function lineOfRecord(path: string, record: number): Promise<number> {
  let r = -1;
  const parser = createReadStream(path).pipe(parse({ info: true, raw: true, skip_empty_lines: true }));
  for await (const { info, raw } of parser as AsyncIterable<{ info: { lines: number }; raw: string }>) {
    if (++r < record) continue;
    // info.lines is where the record ends; raw also holds skipped blank lines before it
    const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
    return info.lines - (body.match(/\n/g)?.length ?? 0);
  }
  return record + 1;
}

async function errorAtRecord(path: string, record: number, message: string, field?: string): Promise<DataError> {
  return new DataError(message, { file: path, line: await lineOfRecord(path, record), field });
}

async function readPartCsv(
  path: string,
  userIndex: Map<string, number>,
  itemIndex: Map<string, number>,
): Promise<ParsedPart> {
  const parsed: ParsedPart = { path, users: [], items: [], weights: [], timestamps: undefined };
  const parser = createReadStream(path).pipe(parse({ skip_empty_lines: true }));
  let r = -1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      r++;
      if (r === 0) {
        const ok =
          record.length >= 3 &&
          record.length <= 4 &&
          record[0] === 'user' &&
          record[1] === 'item' &&
          record[2] === 'weight' &&
          (record.length === 3 || record[3] === 'timestamp');
        if (!ok) {
          throw await errorAtRecord(path, 0, `header must be "user,item,weight[,timestamp]", got "${record.join(',')}"`);
        }
        if (record.length === 4) parsed.timestamps = [];
        continue;
      }
      const u = userIndex.get(record[0]);
      if (u === undefined) throw await errorAtRecord(path, r, `unknown user id "${record[0]}"`, 'user');
      const i = itemIndex.get(record[1]);
      if (i === undefined) throw await errorAtRecord(path, r, `unknown item id "${record[1]}"`, 'item');
      const w = Number(record[2]);
      if (record[2].trim() === '' || !Number.isFinite(w)) {
        throw await errorAtRecord(path, r, `weight "${record[2]}" is not a finite number`, 'weight');
      }
      parsed.users.push(u);
      parsed.items.push(i);
      parsed.weights.push(w);
      if (parsed.timestamps) {
        const t = Number(record[3]);
        if (record[3].trim() === '' || Number.isNaN(t)) {
          throw await errorAtRecord(path, r, `timestamp "${record[3]}" is not a number`, 'timestamp');
        }
        parsed.timestamps.push(t);
      }
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    // csv-parse errors (unclosed quote, ragged row) carry the line they stopped at
    const csvLine = (e as { lines?: number }).lines;
    throw new DataError((e as Error).message, { file: path, line: csvLine });
  }
  if (r < 0) throw new DataError('file is empty (no header)', { file: path, line: 1 });
  return parsed;
}

async function buildPart(p: ParsedPart, like: Interactions): Promise<Interactions> {
  const x = Interactions.fromTriples(p.users, p.items, p.weights, like.userIds, like.itemIds, p.timestamps);
  if (x.nnz < p.users.length) {
    const seen = new Set<number>();
    for (let r = 0; r < p.users.length; r++) {
      const key = p.users[r] * like.nItems + p.items[r];
      if (seen.has(key)) {
        const what = `user "${like.userIds[p.users[r]]}" and item "${like.itemIds[p.items[r]]}" appear twice in this file`;
        throw await errorAtRecord(p.path, r + 1, what);
      }
      seen.add(key);
    }
  }
  return x;
}

/** A pair in `p` that is already in one of `others` breaks the split contract. */
async function checkDisjoint(p: ParsedPart, like: Interactions, others: [string, Interactions][]): Promise<void> {
  for (let r = 0; r < p.users.length; r++) {
    for (const [name, other] of others) {
      if (other.has(p.users[r], p.items[r])) {
        const what = `user "${like.userIds[p.users[r]]}" and item "${like.itemIds[p.items[r]]}" are also in ${name}`;
        throw await errorAtRecord(p.path, r + 1, what);
      }
    }
  }
}

/**
 * Reads a split written by `exportSplitCsv` (or by an outside tool in the same format)
 * back into the index space of `like` (the dataset's interactions, for the id maps).
 */
export async function importSplitCsv(dir: string, like: Interactions): Promise<Split> {
  const manifestPath = join(dir, 'split.json');
  let manifest: SplitManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read split manifest: ${(e as Error).message}`, { file: manifestPath });
  }
  if (!PROTOCOLS.includes(manifest.protocol)) {
    throw new DataError(`unknown protocol "${manifest.protocol}" (known: ${PROTOCOLS.join(', ')})`, {
      file: manifestPath,
      field: 'protocol',
    });
  }
  if (typeof manifest.seed !== 'number') {
    throw new DataError(`seed must be a number, got ${JSON.stringify(manifest.seed)}`, {
      file: manifestPath,
      field: 'seed',
    });
  }
  const userIndex = new Map<string, number>();
  like.userIds.forEach((id, u) => userIndex.set(id, u));
  const itemIndex = new Map<string, number>();
  like.itemIds.forEach((id, i) => itemIndex.set(id, i));

  const paths = Object.fromEntries(SPLIT_PARTS.map((p) => [p, join(dir, `${p}.csv`)])) as Record<SplitPartName, string>;
  const parsed = {} as Record<SplitPartName, ParsedPart>;
  for (const part of SPLIT_PARTS) parsed[part] = await readPartCsv(paths[part], userIndex, itemIndex);
  const withTimestamps = parsed.train.timestamps !== undefined;
  for (const part of SPLIT_PARTS) {
    if ((parsed[part].timestamps !== undefined) !== withTimestamps) {
      throw new DataError(`has ${withTimestamps ? 'no' : 'a'} timestamp column, unlike train.csv`, {
        file: paths[part],
        line: 1,
        field: 'timestamp',
      });
    }
  }
  const train = await buildPart(parsed.train, like);
  const validation = await buildPart(parsed.validation, like);
  const test = await buildPart(parsed.test, like);
  await checkDisjoint(parsed.validation, like, [['train.csv', train]]);
  await checkDisjoint(parsed.test, like, [
    ['train.csv', train],
    ['validation.csv', validation],
  ]);
  return {
    protocol: manifest.protocol,
    seed: manifest.seed,
    train,
    validation,
    test,
    fullTrain: unionDisjoint(train, validation),
  };
}
