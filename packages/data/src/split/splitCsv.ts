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
  users: number[];
  items: number[];
  weights: number[];
  timestamps: number[] | undefined;
  /** 1-based file line of each row, for errors found after parsing. */
  lines: number[];
}

async function readPartCsv(
  path: string,
  userIndex: Map<string, number>,
  itemIndex: Map<string, number>,
): Promise<ParsedPart> {
  const parsed: ParsedPart = { users: [], items: [], weights: [], timestamps: undefined, lines: [] };
  const parser = createReadStream(path).pipe(parse({ info: true, skip_empty_lines: true }));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!header) {
        header = record;
        const ok =
          record.length >= 3 &&
          record.length <= 4 &&
          record[0] === 'user' &&
          record[1] === 'item' &&
          record[2] === 'weight' &&
          (record.length === 3 || record[3] === 'timestamp');
        if (!ok) {
          throw new DataError(`header must be "user,item,weight[,timestamp]", got "${record.join(',')}"`, {
            file: path,
            line,
          });
        }
        if (record.length === 4) parsed.timestamps = [];
        continue;
      }
      const u = userIndex.get(record[0]);
      if (u === undefined) throw new DataError(`unknown user id "${record[0]}"`, { file: path, line, field: 'user' });
      const i = itemIndex.get(record[1]);
      if (i === undefined) throw new DataError(`unknown item id "${record[1]}"`, { file: path, line, field: 'item' });
      const w = Number(record[2]);
      if (record[2].trim() === '' || !Number.isFinite(w)) {
        throw new DataError(`weight "${record[2]}" is not a finite number`, { file: path, line, field: 'weight' });
      }
      parsed.users.push(u);
      parsed.items.push(i);
      parsed.weights.push(w);
      parsed.lines.push(line);
      if (parsed.timestamps) {
        const t = Number(record[3]);
        if (record[3].trim() === '' || Number.isNaN(t)) {
          throw new DataError(`timestamp "${record[3]}" is not a number`, { file: path, line, field: 'timestamp' });
        }
        parsed.timestamps.push(t);
      }
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    const csvLine = (e as { lines?: number }).lines;
    throw new DataError((e as Error).message, { file: path, line: csvLine });
  }
  if (!header) throw new DataError('file is empty (no header)', { file: path, line: 1 });
  return parsed;
}

function buildPart(path: string, p: ParsedPart, like: Interactions): Interactions {
  const x = Interactions.fromTriples(p.users, p.items, p.weights, like.userIds, like.itemIds, p.timestamps);
  if (x.nnz < p.users.length) {
    const seen = new Set<number>();
    for (let r = 0; r < p.users.length; r++) {
      const key = p.users[r] * like.nItems + p.items[r];
      if (seen.has(key)) {
        throw new DataError(
          `user "${like.userIds[p.users[r]]}" and item "${like.itemIds[p.items[r]]}" appear twice in this file`,
          { file: path, line: p.lines[r] },
        );
      }
      seen.add(key);
    }
  }
  return x;
}

/** A pair in `p` that is already in one of `others` breaks the split contract. */
function checkDisjoint(path: string, p: ParsedPart, like: Interactions, others: [string, Interactions][]): void {
  for (let r = 0; r < p.users.length; r++) {
    for (const [name, other] of others) {
      if (other.has(p.users[r], p.items[r])) {
        throw new DataError(
          `user "${like.userIds[p.users[r]]}" and item "${like.itemIds[p.items[r]]}" are also in ${name}`,
          { file: path, line: p.lines[r] },
        );
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
  const train = buildPart(paths.train, parsed.train, like);
  const validation = buildPart(paths.validation, parsed.validation, like);
  const test = buildPart(paths.test, parsed.test, like);
  checkDisjoint(paths.validation, parsed.validation, like, [['train.csv', train]]);
  checkDisjoint(paths.test, parsed.test, like, [
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
