import { open } from 'node:fs/promises';

/** The file's first line (without its terminator), read from the first 64 KiB only. */
export async function readFirstLine(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const text = buffer.toString('utf8', 0, bytesRead);
    const end = text.indexOf('\n');
    const line = end < 0 ? text : text.slice(0, end);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  } finally {
    await file.close();
  }
}

/** `auto` separator: a tab when the first line has one, else a comma. */
export function detectSeparator(firstLine: string): string {
  return firstLine.includes('\t') ? '\t' : ',';
}
