import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataError } from '@musicrec/core';
import { loadInteractionsFile } from './generic';
import type { InteractionsFileOptions } from './generic';
import { tempFiles } from './testData';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

async function write(files: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await tempFiles(files);
  cleanups.push(cleanup);
  return dir;
}

async function load(content: string, options: Omit<InteractionsFileOptions, 'path'>, extra: Record<string, string> = {}) {
  const dir = await write({ 'data.txt': content, ...extra });
  return loadInteractionsFile({ path: join(dir, 'data.txt'), ...options, itemFeatures: options.itemFeatures && join(dir, options.itemFeatures) });
}

async function failure(content: string, options: Omit<InteractionsFileOptions, 'path'>): Promise<DataError> {
  const err = await load(content, options).catch((e) => e);
  expect(err).toBeInstanceOf(DataError);
  expect(err.file).toMatch(/data\.txt$/);
  return err as DataError;
}

// MovieLens 100K u.data layout: user \t item \t rating \t timestamp, no header
const U_DATA = '196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n186\t242\t5\t881250000\n';
const ML = { userCol: 0, itemCol: 1, weightCol: 2, timeCol: 3, header: false };

describe('loadInteractionsFile', () => {
  it('reads a MovieLens-style TSV without header (separator detected)', async () => {
    const d = await load(U_DATA, ML);
    const m = d.interactions;
    expect(d.name).toBe('data');
    expect(m.userIds).toEqual(['196', '186']);
    expect(m.itemIds).toEqual(['242', '302', '377']);
    expect(Array.from(m.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(m.indices)).toEqual([0, 2, 0, 1]);
    expect(Array.from(m.values)).toEqual([3, 1, 5, 3]);
    expect(Array.from(m.timestamps!)).toEqual([881250949, 878887116, 881250000, 891717742]);
    // per user, items by time: 196 → 377 then 242; 186 → 242 then 302
    expect(Array.from(d.sequences!.items)).toEqual([2, 0, 0, 1]);
    expect(d.loadReport.files[0].rows).toBe(4);
  });

  it('reads a CSV with a header by column names, merging repeated pairs and counting them', async () => {
    const csv = 'listener,track,plays\nu1,a,2\nu2,b,1\n\nu1,a,3\n';
    const d = await load(csv, { userCol: 'listener', itemCol: 'track', weightCol: 'plays', header: true });
    expect(Array.from(d.interactions.values)).toEqual([5, 1]);
    expect(d.interactions.timestamps).toBeUndefined();
    expect(d.sequences).toBeUndefined();
    expect(d.loadReport.dropped).toEqual({
      'blank line': 1,
      'duplicate user-item row (merged: weights summed, earliest time kept)': 1,
    });
  });

  it('gives value 1 per row without a weight column and honours quoting', async () => {
    const d = await load('"user, the first",item\n"user, the first","x,y"\n', { userCol: 0, itemCol: 1, header: true });
    expect(d.interactions.userIds).toEqual(['user, the first']);
    expect(d.interactions.itemIds).toEqual(['x,y']);
    expect(Array.from(d.interactions.values)).toEqual([1]);
  });

  it('accepts an explicit multi-character separator', async () => {
    const d = await load('1::10::5::978300760\n1::20::3::978302109\n', { ...ML, sep: '::' });
    expect(d.interactions.itemIds).toEqual(['10', '20']);
  });

  it('error: column name not in the header', async () => {
    const err = await failure('user,item\n1,2\n', { userCol: 'user', itemCol: 'song', header: true });
    expect(err).toMatchObject({ line: 1, field: 'song' });
    expect(err.message).toMatch(/no item column named "song"; the header has: user, item/);
  });

  it('error: column index beyond the fields', async () => {
    const err = await failure('1\t2\n', { userCol: 0, itemCol: 1, weightCol: 2, header: false });
    expect(err).toMatchObject({ line: 1, field: 'column 2' });
    expect(err.message).toMatch(/line 1 has 2 fields/);
  });

  it('error: column name without a header', async () => {
    const err = await failure('1,2\n', { userCol: 'user', itemCol: 1, header: false });
    expect(err).toMatchObject({ line: 1, field: 'user' });
  });

  it('error: non-numeric weight', async () => {
    const err = await failure('user,item,rating\n1,2,4\n1,3,five\n', { userCol: 0, itemCol: 1, weightCol: 'rating', header: true });
    expect(err).toMatchObject({ line: 3, field: 'rating' });
    expect(err.message).toMatch(/expected a number, found "five"/);
  });

  it('error: non-numeric timestamp', async () => {
    const err = await failure('196\t242\t3\t2020-01-01\n', ML);
    expect(err).toMatchObject({ line: 1, field: 'column 3' });
  });

  it('error: empty file', async () => {
    const err = await failure('', ML);
    expect(err.message).toMatch(/file is empty/);
  });

  it('error: header but no data rows', async () => {
    const err = await failure('user,item\n', { userCol: 0, itemCol: 1, header: true });
    expect(err.message).toMatch(/no data rows/);
  });

  it('error: ragged line', async () => {
    const err = await failure('196\t242\t3\t881250949\n186\t302\t3\n', ML);
    expect(err).toMatchObject({ line: 2 });
    expect(err.message).toMatch(/found 3 fields, expected 4 as on line 1/);
  });

  it('error: wrong separator', async () => {
    const err = await failure('196;242;3\n186;302;3\n', { userCol: 0, itemCol: 1, header: false });
    expect(err).toMatchObject({ line: 1 });
    expect(err.message).toMatch(/found 1 field; is the separator right\? \(sep=","\)/);
    const tab = await failure('a,b\n1,2\n', { userCol: 0, itemCol: 1, header: false, sep: '\t' });
    expect(tab.message).toContain('(sep="\\t")');
  });

  it('error: empty user id and empty item id', async () => {
    expect(await failure('user,item\n1,2\n,3\n', { userCol: 'user', itemCol: 'item', header: true })).toMatchObject({ line: 3, field: 'user' });
    expect(await failure('1\t\t3\t4\n', ML)).toMatchObject({ line: 1, field: 'column 1' });
  });

  it('reads an item-feature file into the catalog and counts what does not line up', async () => {
    const features = 'item,name,genre,year,energy,tempo\n242,Song A,rock,1999,0.5,120\n999,Ghost,pop,2001,0.1,90\n377,Song C,,2010,,100\n';
    const d = await load(U_DATA, { ...ML, itemFeatures: 'features.csv' }, { 'features.csv': features });
    const c = d.catalog;
    expect(c.names).toEqual(['Song A', null, 'Song C']);
    expect(c.genres).toEqual(['rock', null, null]);
    expect(Array.from(c.releaseYears!)).toEqual([1999, NaN, 2010]);
    expect(c.audio!.columns).toEqual(['energy', 'tempo']);
    expect(Array.from(c.audio!.values)).toEqual([0.5, 120, NaN, NaN, NaN, 100]);
    expect(Array.from(c.audio!.present)).toEqual([1, 0, 1]);
    expect(d.loadReport.dropped['item-feature row for an item without interactions']).toBe(1);
    expect(d.loadReport.missing['item features (items without a row)']).toBe(1);
  });

  it('error: non-numeric item feature names file, line and column', async () => {
    const dir = await write({ 'data.txt': U_DATA, 'f.csv': 'item,energy\n242,high\n' });
    const err = await loadInteractionsFile({ path: join(dir, 'data.txt'), ...ML, itemFeatures: join(dir, 'f.csv') }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ line: 2, field: 'energy' });
    expect(err.file).toMatch(/f\.csv$/);
  });
});
