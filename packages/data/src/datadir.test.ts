import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defaultCacheDir, findDatasetDir, findRepoRoot, resolveDataDirs } from './datadir';
import type { DatasetManifest } from './loaders/manifest';
import { tempFiles } from './loaders/testData';

const savedEnv = process.env.MUSICREC_DATA_DIR;
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  if (savedEnv === undefined) delete process.env.MUSICREC_DATA_DIR;
  else process.env.MUSICREC_DATA_DIR = savedEnv;
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

describe('resolveDataDirs', () => {
  it('finds the repo root by its nx.json and caches under datasets/cache', () => {
    const root = findRepoRoot();
    expect(existsSync(join(root, 'nx.json'))).toBe(true);
    expect(existsSync(join(root, 'packages', 'data', 'src', 'datadir.ts'))).toBe(true);
    expect(defaultCacheDir()).toBe(join(root, 'datasets', 'cache'));
  });

  it('puts --data-dir first, ignoring the environment, then the cache', () => {
    process.env.MUSICREC_DATA_DIR = '/from/env';
    expect(resolveDataDirs({ dataDir: 'rel/dir' })).toEqual([resolve('rel/dir'), defaultCacheDir()]);
  });

  it('falls back to MUSICREC_DATA_DIR, then the cache', () => {
    process.env.MUSICREC_DATA_DIR = '/from/env';
    expect(resolveDataDirs()).toEqual(['/from/env', defaultCacheDir()]);
  });

  it('has only the cache when neither is set, and never lists a directory twice', () => {
    delete process.env.MUSICREC_DATA_DIR;
    expect(resolveDataDirs()).toEqual([defaultCacheDir()]);
    expect(resolveDataDirs({ dataDir: '/c', cacheDir: '/c' })).toEqual(['/c']);
  });
});

describe('findDatasetDir', () => {
  const manifest = {
    folder: 'ds',
    files: [
      { path: 'needed.dat', required: true },
      { path: 'readme.txt', required: false },
    ],
  } as DatasetManifest;

  it('returns the first directory whose dataset folder has every required file', async () => {
    const incomplete = await tempFiles();
    const complete = await tempFiles();
    cleanups.push(incomplete.cleanup, complete.cleanup);
    await mkdir(join(incomplete.dir, 'ds'));
    await writeFile(join(incomplete.dir, 'ds', 'readme.txt'), 'x');
    await mkdir(join(complete.dir, 'ds'));
    await writeFile(join(complete.dir, 'ds', 'needed.dat'), 'x');
    expect(await findDatasetDir(manifest, [incomplete.dir, complete.dir])).toBe(join(complete.dir, 'ds'));
    expect(await findDatasetDir(manifest, [incomplete.dir])).toBeUndefined();
  });
});
