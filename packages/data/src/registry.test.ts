import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConfigError } from '@musicrec/core';
import { DATASET_NAMES, listDatasets, loadDataset } from './registry';
import { realDataDir, tempFiles } from './loaders/testData';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

describe('dataset registry', () => {
  it('lists every dataset with a one-line description', () => {
    const list = listDatasets();
    expect(list.map((d) => d.name)).toEqual([...DATASET_NAMES]);
    expect(list.map((d) => d.name)).toEqual(['lastfm-2k', 'spotify-playlists', 'synthetic', 'file']);
    for (const d of list) expect(d.description).toMatch(/^[^\n]{20,}$/);
  });

  it('loads the real datasets by name', async () => {
    const spotify = await loadDataset('spotify-playlists', { dataDir: realDataDir(), download: false });
    expect(spotify.name).toBe('spotify-playlists');
    expect(spotify.interactions.nItems).toBe(28_356);
  });

  it('passes flat options through to the generic file loader, ignoring undefined ones', async () => {
    const { dir, cleanup } = await tempFiles({ 'r.tsv': '1\t10\t4\n2\t10\t5\n' });
    cleanups.push(cleanup);
    const d = await loadDataset('file', {
      dataDir: undefined,
      path: join(dir, 'r.tsv'),
      sep: undefined,
      userCol: 0,
      itemCol: 1,
      weightCol: 2,
      timeCol: undefined,
      header: false,
    });
    expect(d.name).toBe('r');
    expect(Array.from(d.interactions.values)).toEqual([4, 5]);
  });

  it('generates synthetic data from its options', async () => {
    const d = await loadDataset('synthetic', { dataDir: undefined, nUsers: 50, nItems: 40, nInteractions: 400, seed: 3 });
    expect(d.interactions.nUsers).toBe(50);
    expect(d.interactions.nItems).toBe(40);
  });

  it('rejects unknown names, unknown options and missing file options', async () => {
    await expect(loadDataset('movielens')).rejects.toThrow(ConfigError);
    await expect(loadDataset('movielens')).rejects.toThrow(/known: lastfm-2k, spotify-playlists, synthetic, file/);
    await expect(loadDataset('spotify-playlists', { withAudio: true })).rejects.toThrow(/unknown option "withAudio"/);
    await expect(loadDataset('file', { path: 'x.csv', userCol: 0, itemCol: 1 })).rejects.toThrow(/"header" is required/);
  });
});
