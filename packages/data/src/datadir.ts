import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetManifest } from './loaders/manifest';

export interface DataDirOptions {
  /** The `--data-dir` flag: wins over `MUSICREC_DATA_DIR`. */
  dataDir?: string;
  /** Where downloads go; defaults to the repo's `datasets/cache/` (tests point it elsewhere). */
  cacheDir?: string;
}

/** The monorepo root: the nearest directory above `from` that holds `nx.json`. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json found above ${from}; is this file inside the musicrec repo?`);
    dir = parent;
  }
}

/** `datasets/cache/` in the repo: the download target, ignored by git. */
export function defaultCacheDir(): string {
  return join(findRepoRoot(), 'datasets', 'cache');
}

/**
 * Data directories to search, in order: the explicit `dataDir` (else `MUSICREC_DATA_DIR`),
 * then always the download cache. Each dataset is a subfolder named by its manifest.
 */
export function resolveDataDirs(options: DataDirOptions = {}): string[] {
  const dirs: string[] = [];
  const given = options.dataDir ?? process.env.MUSICREC_DATA_DIR;
  if (given !== undefined && given.trim() !== '') dirs.push(resolve(given));
  const cache = resolve(options.cacheDir ?? defaultCacheDir());
  if (!dirs.includes(cache)) dirs.push(cache);
  return dirs;
}

/** The first `<dir>/<manifest.folder>` that holds every required file of the manifest. */
export async function findDatasetDir(manifest: DatasetManifest, dirs: readonly string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    const folder = join(dir, manifest.folder);
    let complete = true;
    for (const file of manifest.files) {
      if (!file.required) continue;
      const info = await stat(join(folder, file.path)).catch(() => undefined);
      if (!info?.isFile()) {
        complete = false;
        break;
      }
    }
    if (complete) return folder;
  }
  return undefined;
}
