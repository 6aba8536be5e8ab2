import type { Dataset, ProgressListener } from '@musicrec/core';
import { loadDataset } from '@musicrec/data';

/** How the bench obtains one dataset; serialisable so child processes can load it again. */
export interface DatasetSpec {
  /** Registry name: lastfm-2k, spotify-playlists, synthetic, file. */
  name: string;
  /** Name used for the report file (defaults to name). */
  label?: string;
  dataDir?: string;
  /** Extra loader options (synthetic size, generic-file columns...). */
  options?: Record<string, unknown>;
}

export const ALL_DATASETS: readonly DatasetSpec[] = [{ name: 'lastfm-2k' }, { name: 'spotify-playlists' }];

/** Small synthetic data for `bench:quick` and CI: big enough to separate the models, small enough for seconds. */
export const QUICK_DATASET: DatasetSpec = {
  name: 'synthetic',
  options: { nUsers: 2000, nItems: 1500, nInteractions: 60_000, seed: 7 },
};

export function reportLabel(spec: DatasetSpec): string {
  return spec.label ?? spec.name;
}

/** Loads (downloading into datasets/cache/ when missing) with download/parse progress reported. */
export async function loadSpec(spec: DatasetSpec, onProgress?: ProgressListener): Promise<Dataset> {
  const realData = spec.name === 'lastfm-2k' || spec.name === 'spotify-playlists';
  return loadDataset(spec.name, {
    dataDir: spec.dataDir,
    ...(realData && onProgress ? { onProgress } : {}),
    ...(spec.options ?? {}),
  });
}
