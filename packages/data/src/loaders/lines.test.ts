import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataError } from '@musicrec/core';
import { forEachLine, parseNumberField } from './lines';
import type { TextFormat } from './lines';
import { tempFiles } from './testData';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

async function linesOf(content: string | Uint8Array, format: TextFormat, sliceBytes?: number) {
  const { dir, cleanup } = await tempFiles({ 'f.txt': content });
  cleanups.push(cleanup);
  const out: [number, string][] = [];
  const n = await forEachLine(join(dir, 'f.txt'), format, (line, k) => out.push([k, line]), sliceBytes);
  return { n, out };
}

describe('forEachLine', () => {
  it('strips CRLF in a CRLF file and numbers lines from 1', async () => {
    const { n, out } = await linesOf('a\tb\r\nc\td\r\n', { encoding: 'utf-8', lineEnding: 'crlf' });
    expect(n).toBe(2);
    expect(out).toEqual([
      [1, 'a\tb'],
      [2, 'c\td'],
    ]);
  });

  it('reads an unterminated last line', async () => {
    const { out } = await linesOf('x\r\ny', { encoding: 'utf-8', lineEnding: 'crlf' });
    expect(out).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it('rejects an LF-only line in a CRLF file, naming the line', async () => {
    const err = await linesOf('a\r\nb\nc\r\n', { encoding: 'utf-8', lineEnding: 'crlf' }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/LF only/);
  });

  it('rejects a CRLF line in an LF file', async () => {
    const err = await linesOf('a\nb\r\n', { encoding: 'utf-8', lineEnding: 'lf' }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.line).toBe(2);
  });

  it('auto takes the first line ending and holds the rest to it', async () => {
    expect((await linesOf('a\r\nb\r\n', { encoding: 'utf-8', lineEnding: 'auto' })).out.map((l) => l[1])).toEqual(['a', 'b']);
    const err = await linesOf('a\nb\r\n', { encoding: 'utf-8', lineEnding: 'auto' }).catch((e) => e);
    expect(err.line).toBe(2);
  });

  it('decodes Latin-1 bytes as Latin-1', async () => {
    // "fußball" and "español" in ISO-8859-1
    const bytes = Uint8Array.from([0x66, 0x75, 0xdf, 0x62, 0x61, 0x6c, 0x6c, 0x0d, 0x0a, 0x65, 0x73, 0x70, 0x61, 0xf1, 0x6f, 0x6c, 0x0d, 0x0a]);
    const { out } = await linesOf(bytes, { encoding: 'latin1', lineEnding: 'crlf' });
    expect(out.map((l) => l[1])).toEqual(['fußball', 'español']);
  });

  it('skips a UTF-8 byte-order mark', async () => {
    const { out } = await linesOf('\ufeffid\n1\n', { encoding: 'utf-8', lineEnding: 'lf' });
    expect(out[0][1]).toBe('id');
  });

  it('never splits a line or a multi-byte character across decode slices', async () => {
    const text = 'Björk\tSigur Rós\nMötley Crüe\nä\n日本語の歌\n';
    const whole = await linesOf(text, { encoding: 'utf-8', lineEnding: 'lf' });
    for (const slice of [1, 2, 3, 5, 8]) {
      const sliced = await linesOf(text, { encoding: 'utf-8', lineEnding: 'lf' }, slice);
      expect(sliced.out).toEqual(whole.out);
    }
    expect(whole.out.map((l) => l[1])).toEqual(['Björk\tSigur Rós', 'Mötley Crüe', 'ä', '日本語の歌']);
  });

  it('reports zero lines for an empty file', async () => {
    expect((await linesOf('', { encoding: 'utf-8', lineEnding: 'lf' })).n).toBe(0);
  });
});

describe('parseNumberField', () => {
  it('parses numbers', () => {
    expect(parseNumberField('13883', 'f', 2, 'weight')).toBe(13883);
    expect(parseNumberField('-2.634', 'f', 2, 'loudness')).toBe(-2.634);
    expect(parseNumberField('1e3', 'f', 2, 'x')).toBe(1000);
  });

  it.each(['', ' ', 'abc', '12a', 'NaN', 'Infinity'])('rejects %j naming file, line and field', (text) => {
    const err = (() => {
      try {
        parseNumberField(text, 'ratings.tsv', 7, 'rating');
      } catch (e) {
        return e as DataError;
      }
    })();
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ file: 'ratings.tsv', line: 7, field: 'rating' });
    expect(err!.message).toContain('ratings.tsv, line 7, field "rating"');
  });
});
