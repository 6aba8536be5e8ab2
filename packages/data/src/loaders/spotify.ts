import { join } from 'node:path';
import { DataError, IdIndex, Interactions, emptyLoadReport, silentProgress } from '@musicrec/core';
import type { Dataset, ProgressListener } from '@musicrec/core';
import { locateDataset } from '../download';
import type { LocateDatasetOptions } from '../download';
import { forEachDelimitedRecord } from './csvRecords';
import { GrowableArray } from './growable';
import { parseNumberField } from './lines';
import { readManifest } from './manifest';

export const SPOTIFY_PLAYLISTS = 'spotify-playlists';
export const SPOTIFY_SONGS_FILE = 'spotify_songs.csv';

/** The 12 Spotify audio features, in the order of `catalog.audio.columns`. */
export const SPOTIFY_AUDIO_COLUMNS = [
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
  'duration_ms',
] as const;

const REQUIRED_COLUMNS = [
  'track_id',
  'track_name',
  'track_artist',
  'track_popularity',
  'track_album_release_date',
  'playlist_id',
  'playlist_genre',
  'playlist_subgenre',
  ...SPOTIFY_AUDIO_COLUMNS,
];

/** The R export writes missing values as the literal NA. */
const MISSING = 'NA';

/** Spotify songs (TidyTuesday 2020) from the data directories (downloaded when missing). */
export async function loadSpotifyPlaylists(options: LocateDatasetOptions = {}): Promise<Dataset> {
  const manifest = await readManifest(SPOTIFY_PLAYLISTS);
  const dir = await locateDataset(manifest, options);
  return readSpotifySongsFile(join(dir, SPOTIFY_SONGS_FILE), options.onProgress);
}

/**
 * Reads spotify_songs.csv: playlists are the users, tracks the items (value 1; a track
 * listed twice in one playlist is kept once and counted). Catalog fields come from the
 * track's first row; `NA` counts as missing, per column, over all rows.
 */
export async function readSpotifySongsFile(path: string, onProgress: ProgressListener = silentProgress): Promise<Dataset> {
  const stage = `load ${SPOTIFY_PLAYLISTS}`;
  const report = emptyLoadReport();
  let header: string[] | null = null;
  let columns: ReturnType<typeof locateColumns>;
  let missingPerColumn = new Int32Array(0);
  const playlists = new IdIndex();
  const tracks = new IdIndex();
  const users = new GrowableArray(Int32Array, 1 << 15);
  const items = new GrowableArray(Int32Array, 1 << 15);
  const names: (string | null)[] = [];
  const artists: (string | null)[] = [];
  const genres: (string | null)[] = [];
  const subgenres: (string | null)[] = [];
  const years = new GrowableArray(Float32Array, 1 << 15);
  const popularity = new GrowableArray(Float32Array, 1 << 15);
  const audio = new GrowableArray(Float32Array, SPOTIFY_AUDIO_COLUMNS.length << 15);
  let blankLines = 0;

  await forEachDelimitedRecord(path, { encoding: 'utf-8', lineEnding: 'auto' }, ',', (f, line) => {
    if (f.length === 1 && f[0] === '') {
      blankLines++;
      return;
    }
    if (header === null) {
      header = f;
      columns = locateColumns(f, path);
      missingPerColumn = new Int32Array(f.length);
      return;
    }
    if (f.length !== header.length) {
      throw new DataError(`found ${f.length} fields, expected ${header.length} as in the header`, { file: path, line });
    }
    const c = columns;
    for (let k = 0; k < f.length; k++) if (f[k] === MISSING) missingPerColumn[k]++;
    const trackId = f[c.track];
    const playlistId = f[c.playlist];
    if (trackId === '' || trackId === MISSING) throw new DataError('empty track id', { file: path, line, field: 'track_id' });
    if (playlistId === '' || playlistId === MISSING) {
      throw new DataError('empty playlist id', { file: path, line, field: 'playlist_id' });
    }
    users.push(playlists.add(playlistId));
    const known = tracks.size;
    const item = tracks.add(trackId);
    items.push(item);
    if (item < known) return; // catalog fields come from the track's first row
    names.push(orNull(f[c.name]));
    artists.push(orNull(f[c.artist]));
    genres.push(orNull(f[c.genre]));
    subgenres.push(orNull(f[c.subgenre]));
    years.push(releaseYear(f[c.release], path, line));
    popularity.push(numberOrNaN(f[c.popularity], path, line, 'track_popularity'));
    for (let a = 0; a < c.audio.length; a++) audio.push(numberOrNaN(f[c.audio[a]], path, line, SPOTIFY_AUDIO_COLUMNS[a]));
  });
  if (header === null) throw new DataError('file is empty', { file: path });
  const headerNames: string[] = header;
  onProgress({ stage, current: 1, total: 2 });
  report.files.push({ path, rows: users.length });
  for (let k = 0; k < headerNames.length; k++) if (missingPerColumn[k] > 0) report.missing[headerNames[k]] = missingPerColumn[k];
  if (blankLines > 0) report.dropped['blank line'] = blankLines;

  // duplicates merge into one entry; binarize undoes the summed value
  const interactions = Interactions.fromTriples(users.view(), items.view(), null, playlists.ids, tracks.ids).binarize();
  const duplicates = users.length - interactions.nnz;
  if (duplicates > 0) report.dropped['duplicate track in playlist'] = duplicates;
  onProgress({ stage, current: 2, total: 2 });

  return {
    name: SPOTIFY_PLAYLISTS,
    interactions,
    catalog: {
      itemIds: tracks.ids,
      names,
      artists,
      genres,
      subgenres,
      releaseYears: years.toArray(),
      popularity: popularity.toArray(),
      audio: { columns: [...SPOTIFY_AUDIO_COLUMNS], values: audio.toArray(), present: new Uint8Array(tracks.size).fill(1) },
    },
    loadReport: report,
  };
}

function locateColumns(header: string[], path: string) {
  const index = new Map(header.map((name, k) => [name, k]));
  for (const name of REQUIRED_COLUMNS) {
    if (!index.has(name)) {
      throw new DataError(`missing column (header has: ${header.join(', ')})`, { file: path, line: 1, field: name });
    }
  }
  const at = (name: string) => index.get(name)!;
  return {
    track: at('track_id'),
    name: at('track_name'),
    artist: at('track_artist'),
    popularity: at('track_popularity'),
    release: at('track_album_release_date'),
    playlist: at('playlist_id'),
    genre: at('playlist_genre'),
    subgenre: at('playlist_subgenre'),
    audio: SPOTIFY_AUDIO_COLUMNS.map(at),
  };
}

function orNull(text: string): string | null {
  return text === MISSING || text === '' ? null : text;
}

function numberOrNaN(text: string, file: string, line: number, field: string): number {
  return text === MISSING ? NaN : parseNumberField(text, file, line, field);
}

const RELEASE_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Year of a YYYY, YYYY-MM or YYYY-MM-DD date; NaN for NA. */
function releaseYear(text: string, file: string, line: number): number {
  if (text === MISSING) return NaN;
  const m = RELEASE_DATE.exec(text);
  if (!m) {
    throw new DataError(`expected a date as YYYY, YYYY-MM or YYYY-MM-DD, found ${JSON.stringify(text)}`, {
      file,
      line,
      field: 'track_album_release_date',
    });
  }
  return Number(m[1]);
}
