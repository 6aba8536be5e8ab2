import { readFile } from 'node:fs/promises';
import { DataError } from '@musicrec/core';

export type TextEncoding = 'utf-8' | 'latin1';
/** `auto` takes the ending of the first line and then holds every other line to it. */
export type LineEnding = 'lf' | 'crlf' | 'auto';

export interface TextFormat {
  encoding: TextEncoding;
  lineEnding: LineEnding;
}

/** Called once per line with the text (terminator removed) and its 1-based line number. */
export type LineHandler = (line: string, lineNumber: number) => void;

// Decoding in slices keeps big files under V8's string-length limit and memory flat.
const SLICE_BYTES = 16 * 1024 * 1024;
const LF = 0x0a;

/**
 * Reads a text file line by line with the declared encoding and line ending, exactly:
 * a CRLF file whose line lacks the CR, or an LF file whose line carries one, is an error
 * naming the line. A UTF-8 byte-order mark is skipped. Returns the number of lines
 * (a final terminator does not open an extra empty line).
 */
export async function forEachLine(
  path: string,
  format: TextFormat,
  onLine: LineHandler,
  sliceBytes: number = SLICE_BYTES,
): Promise<number> {
  const bytes = await readFile(path);
  let start = 0;
  if (format.encoding === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  let ending: 'lf' | 'crlf' | undefined = format.lineEnding === 'auto' ? undefined : format.lineEnding;
  let lineNumber = 0;
  const nodeEncoding = format.encoding === 'latin1' ? 'latin1' : 'utf8';
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + sliceBytes);
    if (end < bytes.length) {
      // cut after the last LF so no line (and no UTF-8 sequence: LF never occurs inside one) is split
      const lastLf = bytes.lastIndexOf(LF, end - 1);
      if (lastLf >= start) end = lastLf + 1;
      else end = nextLineEnd(bytes, end);
    }
    const text = bytes.toString(nodeEncoding, start, end);
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const terminated = nl >= 0;
      const stop = terminated ? nl : text.length;
      lineNumber++;
      const hasCr = stop > pos && text.charCodeAt(stop - 1) === 13;
      if (ending === undefined && terminated) ending = hasCr ? 'crlf' : 'lf';
      if (ending === 'crlf' && terminated && !hasCr) {
        throw new DataError('line ends with LF only, but the file uses CRLF line endings', { file: path, line: lineNumber });
      }
      if (ending === 'lf' && hasCr) {
        throw new DataError('line ends with CRLF, but the file uses LF line endings', { file: path, line: lineNumber });
      }
      onLine(text.slice(pos, hasCr ? stop - 1 : stop), lineNumber);
      pos = terminated ? nl + 1 : text.length;
    }
    start = end;
  }
  return lineNumber;
}

function nextLineEnd(bytes: Buffer, from: number): number {
  const next = bytes.indexOf(LF, from);
  return next < 0 ? bytes.length : next + 1;
}

/** Parses a numeric field; empty, blank or non-numeric text is an error naming file, line and field. */
export function parseNumberField(text: string, file: string, line: number, field: string): number {
  const value = text.length === 0 ? NaN : Number(text);
  if (!Number.isFinite(value) || text.trim().length === 0) {
    throw new DataError(`expected a number, found ${JSON.stringify(text)}`, { file, line, field });
  }
  return value;
}
