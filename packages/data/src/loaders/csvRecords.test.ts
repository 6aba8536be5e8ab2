import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from '@musicrec/core';
import { forEachDelimitedRecord, splitQuotedRecord } from './csvRecords';
import { realDataDir, tempFiles } from './testData';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

describe('splitQuotedRecord', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a,b",c', ['a,b', 'c']],
    ['x,"say ""hi""",y', ['x', 'say "hi"', 'y']],
    ['"",,""', ['', '', '']],
    ['a,b,', ['a', 'b', '']],
    ['12" mix,b', ['12" mix', 'b']],
  ])('splits %j', (text, fields) => {
    expect(splitQuotedRecord(text, ',')).toEqual(fields);
  });

  it('returns null while a quoted field is open', () => {
    expect(splitQuotedRecord('a,"first line', ',')).toBeNull();
    expect(splitQuotedRecord('a,"first line\nsecond",b', ',')).toEqual(['a', 'first line\nsecond', 'b']);
  });

  it('splits on a multi-character separator', () => {
    expect(splitQuotedRecord('1::"a::b"::3', '::')).toEqual(['1', 'a::b', '3']);
  });

  it('rejects text after a closing quote', () => {
    expect(() => splitQuotedRecord('"a"b,c', ',', { file: 'f.csv', line: 3 })).toThrow(/f\.csv, line 3: unexpected "b" after the closing quote of field 1/);
  });
});

describe('forEachDelimitedRecord', () => {
  async function records(content: string) {
    const { dir, cleanup } = await tempFiles({ 'f.csv': content });
    cleanups.push(cleanup);
    const out: [number, string[]][] = [];
    await forEachDelimitedRecord(join(dir, 'f.csv'), { encoding: 'utf-8', lineEnding: 'auto' }, ',', (f, line) => out.push([line, f]));
    return out;
  }

  it('reports a record that spans lines at its first line', async () => {
    expect(await records('h1,h2\n"two\nlines",x\nlast,y\n')).toEqual([
      [1, ['h1', 'h2']],
      [2, ['two\nlines', 'x']],
      [4, ['last', 'y']],
    ]);
  });

  it('names the line of a quoted field that never closes', async () => {
    const err = await records('a,b\n1,"open\n2,3\n').catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/never closed/);
  });

  it('reads spotify_songs.csv exactly as csv-parse does', async () => {
    const path = join(realDataDir(), 'spotify-songs', 'spotify_songs.csv');
    const reference: string[][] = parse(await readFile(path));
    const ours: string[][] = [];
    await forEachDelimitedRecord(path, { encoding: 'utf-8', lineEnding: 'lf' }, ',', (f) => ours.push(f));
    expect(ours.length).toBe(32_834);
    expect(ours).toEqual(reference);
  });
});
