import { ConfigError } from '@musicrec/core';
import type { Dataset } from '@musicrec/core';
import type { LocateDatasetOptions } from './download';
import { loadInteractionsFile } from './loaders/generic';
import type { InteractionsFileOptions } from './loaders/generic';
import { LASTFM_2K, loadLastfm2k } from './loaders/lastfm';
import { SPOTIFY_PLAYLISTS, loadSpotifyPlaylists } from './loaders/spotify';

export const DATASET_NAMES = [LASTFM_2K, SPOTIFY_PLAYLISTS, 'synthetic', 'file'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface DatasetInfo {
  name: DatasetName;
  description: string;
}

const DESCRIPTIONS: Record<DatasetName, string> = {
  [LASTFM_2K]: 'HetRec 2011 Last.fm: 1,892 users x 17,632 artists, play counts, tags, tag-time sequences, friends',
  [SPOTIFY_PLAYLISTS]: 'Spotify songs (TidyTuesday 2020): 471 playlists x 28,356 tracks, 12 audio features, genres',
  synthetic: 'seeded synthetic listening data of any size (clusters, Zipf popularity, genres, audio, times)',
  file: 'any CSV/TSV interactions file: path, userCol, itemCol, weightCol?, timeCol?, header, itemFeatures?',
};

export function listDatasets(): DatasetInfo[] {
  return DATASET_NAMES.map((name) => ({ name, description: DESCRIPTIONS[name] }));
}

/**
 * Options for `loadDataset`, flat so a CLI can pass them through: where to find data, plus
 * the chosen dataset's own options (`withSpotifyAudio` for lastfm-2k, any SyntheticConfig
 * key for synthetic, the InteractionsFileOptions keys for file). Keys left undefined are ignored.
 */
export interface LoadDatasetOptions extends LocateDatasetOptions {
  withSpotifyAudio?: boolean;
  [option: string]: unknown;
}

const LOCATE_KEYS = ['dataDir', 'cacheDir', 'download', 'onProgress', 'idleTimeoutMs'] as const;
const FILE_KEYS = ['path', 'sep', 'userCol', 'itemCol', 'weightCol', 'timeCol', 'header', 'itemFeatures', 'name'];

/** Loads a dataset by registry name; unknown names and options are ConfigErrors. */
export async function loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const locate: LocateDatasetOptions = {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if ((LOCATE_KEYS as readonly string[]).includes(key)) (locate as Record<string, unknown>)[key] = value;
    else own[key] = value;
  }
  switch (name) {
    case LASTFM_2K:
      allowOnly(name, own, ['withSpotifyAudio']);
      return loadLastfm2k({ ...locate, withSpotifyAudio: own.withSpotifyAudio === true });
    case SPOTIFY_PLAYLISTS:
      allowOnly(name, own, []);
      return loadSpotifyPlaylists(locate);
    case 'synthetic': {
      // imported on use: generating needs none of the loaders, loading none of the generator
      const { generateSynthetic } = await import('./synthetic');
      return generateSynthetic(own);
    }
    case 'file':
      allowOnly(name, own, FILE_KEYS);
      for (const key of ['path', 'userCol', 'itemCol', 'header']) {
        if (own[key] === undefined) throw new ConfigError(`dataset "file": option "${key}" is required`);
      }
      return loadInteractionsFile(own as unknown as InteractionsFileOptions);
    default:
      throw new ConfigError(`unknown dataset "${name}" (known: ${DATASET_NAMES.join(', ')})`);
  }
}

function allowOnly(dataset: string, given: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!allowed.includes(key)) {
      const known = [...LOCATE_KEYS, ...allowed].join(', ');
      throw new ConfigError(`dataset "${dataset}": unknown option "${key}" (known: ${known})`);
    }
  }
}
