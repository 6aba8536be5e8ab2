import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, Interactions } from '@musicrec/core';
import { holdoutSplit } from './holdout';
import { exportSplitCsv, importSplitCsv } from './splitCsv';
import { entries, matrixWithRowSizes } from './testMatrices';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'musicrec-split-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('exportSplitCsv / importSplitCsv', () => {
  it('round-trips a split exactly (pairs, values, timestamps, protocol, seed)', async () => {
    const data = matrixWithRowSizes([4, 9, 1, 12, 6], 30).mapValues((v) => v / 3); // non-integer float32 weights
    const split = holdoutSplit(data, { seed: 4 });
    const dir = await tempDir();
    const manifest = await exportSplitCsv(split, dir);
    expect(manifest.counts).toEqual({ train: split.train.nnz, validation: split.validation.nnz, test: split.test.nnz });
    const back = await importSplitCsv(dir, data);
    expect(back.protocol).toBe('holdout');
    expect(back.seed).toBe(4);
    for (const part of ['train', 'validation', 'test', 'fullTrain'] as const) {
      expect(entries(back[part])).toEqual(entries(split[part]));
    }
  });

  it('writes the dataset ids with a header, quoting ids that need it', async () => {
    const data = Interactions.fromTriples([0, 0, 1, 1], [0, 1, 1, 0], [2, 3, 4, 5], ['u,1', 'u"2'], ['x', 'y'], [10, 20, 30, 40]);
    const split = holdoutSplit(data, { seed: 1 });
    const dir = await tempDir();
    await exportSplitCsv(split, dir);
    const test = await readFile(join(dir, 'test.csv'), 'utf8');
    const lines = test.trim().split('\n');
    expect(lines[0]).toBe('user,item,weight,timestamp');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^"u,1",[xy],[23],[12]0$/);
    expect(lines[2]).toMatch(/^"u""2",[xy],[45],[34]0$/);
    const back = await importSplitCsv(dir, data);
    expect(entries(back.test)).toEqual(entries(split.test));
    const json = JSON.parse(await readFile(join(dir, 'split.json'), 'utf8'));
    expect(json).toMatchObject({ protocol: 'holdout', seed: 1, users: 2, items: 2, timestamps: true });
  });

  it('omits the timestamp column when the data has none', async () => {
    const data = Interactions.fromTriples([0, 0, 0], [0, 1, 2], [1, 1, 1], ['a'], ['x', 'y', 'z']);
    const dir = await tempDir();
    await exportSplitCsv(holdoutSplit(data, { seed: 2 }), dir);
    expect((await readFile(join(dir, 'train.csv'), 'utf8')).split('\n')[0]).toBe('user,item,weight');
    const back = await importSplitCsv(dir, data);
    expect(back.train.timestamps).toBeUndefined();
    expect(back.train.nnz + back.test.nnz).toBe(3);
  });

  describe('bad files name the file, line and field', () => {
    const data = Interactions.fromTriples([0, 0, 1], [0, 1, 1], [1, 2, 3], ['a', 'b'], ['x', 'y']);
    async function splitDir(files: Record<string, string>): Promise<string> {
      const dir = await tempDir();
      const base: Record<string, string> = {
        'split.json': JSON.stringify({ format: 1, protocol: 'holdout', seed: 1 }),
        'train.csv': 'user,item,weight\na,x,1\n',
        'validation.csv': 'user,item,weight\n',
        'test.csv': 'user,item,weight\na,y,2\n',
        ...files,
      };
      for (const [name, text] of Object.entries(base)) await writeFile(join(dir, name), text);
      return dir;
    }

    it('unknown user id', async () => {
      const dir = await splitDir({ 'train.csv': 'user,item,weight\na,x,1\nzz,y,1\n' });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/train\.csv, line 3, field "user": unknown user id "zz"/);
    });

    it('counts file lines, not records, past blank lines and quoted line breaks', async () => {
      const dir = await splitDir({ 'train.csv': 'user,item,weight\n"a",x,1\n\n"b\nc",y,1\n' });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/train\.csv, line 4, field "user": unknown user id "b\nc"/);
    });

    it('unknown item id', async () => {
      const dir = await splitDir({ 'test.csv': 'user,item,weight\na,nope,1\n' });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/test\.csv, line 2, field "item": unknown item id "nope"/);
    });

    it('non-numeric weight', async () => {
      const dir = await splitDir({ 'train.csv': 'user,item,weight\na,x,lots\n' });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/line 2, field "weight": weight "lots"/);
    });

    it('wrong header', async () => {
      const dir = await splitDir({ 'validation.csv': 'uid,iid,w\n' });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/validation\.csv, line 1: header must be/);
    });

    it('a test pair that is also in train', async () => {
      const dir = await splitDir({ 'test.csv': 'user,item,weight\nb,y,3\na,x,1\n' });
      const err = await importSplitCsv(dir, data).catch((e) => e);
      expect(err).toBeInstanceOf(DataError);
      expect(err.line).toBe(3);
      expect(err.message).toMatch(/test\.csv, line 3: user "a" and item "x" are also in train\.csv/);
    });

    it('a duplicate row', async () => {
      const dir = await splitDir({ 'train.csv': 'user,item,weight\na,x,1\nb,y,1\na,x,2\n' });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/train\.csv, line 4: user "a" and item "x" appear twice/);
    });

    it('a ragged row', async () => {
      const dir = await splitDir({ 'train.csv': 'user,item,weight\na,x\n' });
      const err = await importSplitCsv(dir, data).catch((e) => e);
      expect(err).toBeInstanceOf(DataError);
      expect(err.file).toMatch(/train\.csv$/);
      expect(err.line).toBe(2);
    });

    it('unknown protocol in split.json', async () => {
      const dir = await splitDir({ 'split.json': JSON.stringify({ format: 1, protocol: 'random', seed: 1 }) });
      await expect(importSplitCsv(dir, data)).rejects.toThrow(/split\.json, field "protocol": unknown protocol "random"/);
    });
  });
});
