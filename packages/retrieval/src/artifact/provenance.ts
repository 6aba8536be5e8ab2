import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Dataset } from '@musicrec/core';
import type { DatasetFileDigest } from './format';

/** sha256 and size of every file the dataset's loader read (its load report), in that order. */
export async function datasetDigests(dataset: Dataset): Promise<DatasetFileDigest[]> {
  const out: DatasetFileDigest[] = [];
  for (const { path } of dataset.loadReport.files) {
    const hash = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      createReadStream(path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', reject)
        .on('end', () => resolve());
    });
    out.push({ path, sha256: hash.digest('hex'), bytes: (await stat(path)).size });
  }
  return out;
}

/** musicrec's version (this package's) and the git commit of the working tree, null outside a git checkout. */
export function musicrecVersion(): { version: string; commit: string | null } {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    commit = null;
  }
  return { version: pkg.version, commit };
}
