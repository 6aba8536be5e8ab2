import { join } from 'node:path';
import { DataError, IdIndex, Interactions, emptyLoadReport, silentProgress } from '@musicrec/core';
import type { Catalog, Dataset, ItemTags, LoadReport, ProgressListener, Sequences } from '@musicrec/core';
import { locateDataset } from '../download';
import type { LocateDatasetOptions } from '../download';
import { joinArtistAudio } from './artistAudio';
import { firstTimeSequences, idOrderRank } from './firstTimeSequences';
import { GrowableArray } from './growable';
import { parseNumberField } from './lines';
import type { TextFormat } from './lines';
import { manifestFile, readManifest } from './manifest';
import type { DatasetManifest } from './manifest';
import { loadSpotifyPlaylists } from './spotify';
import { forEachFixedRow } from './tabular';

export const LASTFM_2K = 'lastfm-2k';

export interface LastfmLoadOptions extends LocateDatasetOptions {
  /** Give artists that match a Spotify `track_artist` by normalised name their mean audio features. */
  withSpotifyAudio?: boolean;
}

/** HetRec 2011 Last.fm 2K from the data directories (downloaded when missing). */
export async function loadLastfm2k(options: LastfmLoadOptions = {}): Promise<Dataset> {
  const { withSpotifyAudio, ...locate } = options;
  const manifest = await readManifest(LASTFM_2K);
  const dir = await locateDataset(manifest, locate);
  const spotify = withSpotifyAudio ? await loadSpotifyPlaylists(locate) : undefined;
  return readLastfm2kDir(dir, manifest, { onProgress: options.onProgress, spotify });
}

export interface LastfmReadOptions {
  onProgress?: ProgressListener;
  /** Source of audio profiles: a dataset whose catalog has `artists` and `audio` per track. */
  spotify?: Dataset;
}

/**
 * Reads the Last.fm 2K files in `dir`. Users × artists with play counts, dense ids in order
 * of first appearance in user_artists.dat (ids kept as the file's strings); names from
 * artists.dat, tags (item → tag counts) and per-user artist sequences from the tag
 * assignments, the friend graph as a symmetric user CSR.
 */
export async function readLastfm2kDir(
  dir: string,
  manifest: DatasetManifest,
  options: LastfmReadOptions = {},
): Promise<Dataset> {
  const onProgress = options.onProgress ?? silentProgress;
  const stage = `load ${LASTFM_2K}`;
  const steps = options.spotify ? 6 : 5;
  const report = emptyLoadReport();
  const fileOf = (name: string) => {
    const entry = manifestFile(manifest, name);
    const format: TextFormat = { encoding: entry.encoding ?? 'utf-8', lineEnding: entry.lineEnding ?? 'auto' };
    return { path: join(dir, name), format };
  };

  const users = new IdIndex();
  const artists = new IdIndex();
  const interactions = await readPlays(fileOf('user_artists.dat'), users, artists, report);
  onProgress({ stage, current: 1, total: steps });
  const names = await readArtistNames(fileOf('artists.dat'), artists, report);
  onProgress({ stage, current: 2, total: steps });
  const tagNames = await readTagNames(fileOf('tags.dat'), report);
  onProgress({ stage, current: 3, total: steps });
  const { tags, sequences } = await readTagAssignments(fileOf('user_taggedartists-timestamps.dat'), users, artists, tagNames, report);
  onProgress({ stage, current: 4, total: steps });
  const social = await readFriends(fileOf('user_friends.dat'), users, report);
  onProgress({ stage, current: 5, total: steps });

  let catalog: Catalog = { itemIds: artists.ids, names, artists: names, tags };
  if (options.spotify) {
    const plays = new Float64Array(interactions.nItems);
    for (let k = 0; k < interactions.nnz; k++) plays[interactions.indices[k]] += interactions.values[k];
    const join = joinArtistAudio(names, plays, options.spotify.catalog);
    catalog = { ...catalog, audio: join.audio };
    report.notes.push(
      `spotify audio: ${join.matchedArtists} of ${interactions.nItems} artists matched a Spotify track_artist by normalised name, ` +
        `covering ${(100 * join.matchedPlayShare).toFixed(1)}% of plays (mean over ${join.tracksUsed} tracks)`,
    );
    onProgress({ stage, current: 6, total: steps });
  }
  return { name: LASTFM_2K, interactions, catalog, sequences, social, loadReport: report };
}

interface TextFile {
  path: string;
  format: TextFormat;
}

function count(record: Record<string, number>, reason: string, n = 1): void {
  if (n > 0) record[reason] = (record[reason] ?? 0) + n;
}

async function readPlays(file: TextFile, users: IdIndex, artists: IdIndex, report: LoadReport): Promise<Interactions> {
  const u = new GrowableArray(Int32Array, 1 << 17);
  const i = new GrowableArray(Int32Array, 1 << 17);
  const w = new GrowableArray(Float64Array, 1 << 17);
  const rows = await forEachFixedRow(file.path, file.format, '\t', ['userID', 'artistID', 'weight'], (f, line) => {
    if (f[0] === '' || f[1] === '') throw new DataError('empty id', { file: file.path, line, field: f[0] === '' ? 'userID' : 'artistID' });
    const weight = parseNumberField(f[2], file.path, line, 'weight');
    if (weight < 0) throw new DataError(`play count must be ≥ 0, found ${weight}`, { file: file.path, line, field: 'weight' });
    u.push(users.add(f[0]));
    i.push(artists.add(f[1]));
    w.push(weight);
  });
  report.files.push({ path: file.path, rows });
  const m = Interactions.fromTriples(u.view(), i.view(), w.view(), users.ids, artists.ids);
  count(report.dropped, 'duplicate user-artist row (play counts summed)', rows - m.nnz);
  return m;
}

async function readArtistNames(file: TextFile, artists: IdIndex, report: LoadReport): Promise<(string | null)[]> {
  const names: (string | null)[] = new Array(artists.size).fill(null);
  let withoutPlays = 0;
  const rows = await forEachFixedRow(file.path, file.format, '\t', ['id', 'name', 'url', 'pictureURL'], (f, line) => {
    const i = artists.get(f[0]);
    if (i === undefined) {
      withoutPlays++;
      return;
    }
    if (names[i] !== null) throw new DataError(`artist id ${f[0]} listed twice`, { file: file.path, line, field: 'id' });
    names[i] = f[1];
  });
  report.files.push({ path: file.path, rows });
  count(report.dropped, 'artist in artists.dat without plays in user_artists.dat', withoutPlays);
  count(report.missing, 'artist name (artist of user_artists.dat not in artists.dat)', names.filter((n) => n === null).length);
  return names;
}

interface TagTable {
  /** tags.dat ids → tag index. */
  index: IdIndex;
  names: string[];
}

async function readTagNames(file: TextFile, report: LoadReport): Promise<TagTable> {
  const index = new IdIndex();
  const names: string[] = [];
  const rows = await forEachFixedRow(file.path, file.format, '\t', ['tagID', 'tagValue'], (f, line) => {
    if (index.get(f[0]) !== undefined) throw new DataError(`tag id ${f[0]} listed twice`, { file: file.path, line, field: 'tagID' });
    index.add(f[0]);
    names.push(f[1]);
  });
  report.files.push({ path: file.path, rows });
  return { index, names };
}

/**
 * Tag assignments (user, artist, tag, epoch ms) → item tag counts and per-user sequences of
 * distinct artists by first tag time (ties by artist id). Assignments naming an artist, tag
 * or user outside the indexes are counted, never silently lost.
 */
async function readTagAssignments(
  file: TextFile,
  users: IdIndex,
  artists: IdIndex,
  tagTable: TagTable,
  report: LoadReport,
): Promise<{ tags: ItemTags; sequences: Sequences }> {
  const tagItem = new GrowableArray(Int32Array, 1 << 18);
  const tagIndex = new GrowableArray(Int32Array, 1 << 18);
  const seqUser = new GrowableArray(Int32Array, 1 << 18);
  const seqItem = new GrowableArray(Int32Array, 1 << 18);
  const seqTime = new GrowableArray(Float64Array, 1 << 18);
  let unknownArtist = 0;
  let unknownTag = 0;
  let unknownUser = 0;
  const header = ['userID', 'artistID', 'tagID', 'timestamp'];
  const rows = await forEachFixedRow(file.path, file.format, '\t', header, (f, line) => {
    const time = parseNumberField(f[3], file.path, line, 'timestamp');
    const i = artists.get(f[1]);
    if (i === undefined) {
      unknownArtist++;
      return;
    }
    const t = tagTable.index.get(f[2]);
    if (t === undefined) unknownTag++;
    else {
      tagItem.push(i);
      tagIndex.push(t);
    }
    const u = users.get(f[0]);
    if (u === undefined) unknownUser++;
    else {
      seqUser.push(u);
      seqItem.push(i);
      seqTime.push(time);
    }
  });
  report.files.push({ path: file.path, rows });
  count(report.dropped, 'tag assignment for an artist not in user_artists.dat', unknownArtist);
  count(report.dropped, 'tag assignment with a tag id not in tags.dat (kept in sequences)', unknownTag);
  count(report.dropped, 'tag assignment by a user not in user_artists.dat (kept in tags)', unknownUser);

  // item × tag CSR whose values count the assignments of that tag to that artist
  const byItem = Interactions.fromTriples(tagItem.view(), tagIndex.view(), null, artists.ids, tagTable.names);
  const tags: ItemTags = { indptr: byItem.indptr, tagIndices: byItem.indices, counts: byItem.values, tagNames: tagTable.names };
  const sequences = firstTimeSequences(seqUser.view(), seqItem.view(), seqTime.view(), users.ids, artists.ids, idOrderRank(artists.ids));
  return { tags, sequences };
}

/** Friend rows → undirected user graph (each edge stored both ways); unknown users and self-loops counted. */
async function readFriends(
  file: TextFile,
  users: IdIndex,
  report: LoadReport,
): Promise<{ indptr: Int32Array; indices: Int32Array }> {
  const from = new GrowableArray(Int32Array, 1 << 16);
  const to = new GrowableArray(Int32Array, 1 << 16);
  let unknown = 0;
  let selfLoops = 0;
  const rows = await forEachFixedRow(file.path, file.format, '\t', ['userID', 'friendID'], (f) => {
    const a = users.get(f[0]);
    const b = users.get(f[1]);
    if (a === undefined || b === undefined) unknown++;
    else if (a === b) selfLoops++;
    else {
      from.push(a);
      to.push(b);
      from.push(b);
      to.push(a);
    }
  });
  report.files.push({ path: file.path, rows });
  count(report.dropped, 'friend row naming a user not in user_artists.dat', unknown);
  count(report.dropped, 'friend row linking a user to themself', selfLoops);
  const graph = Interactions.fromTriples(from.view(), to.view(), null, users.ids, users.ids);
  const kept = rows - unknown - selfLoops;
  if (graph.nnz !== kept) {
    report.notes.push(`friend graph: ${kept} rows made symmetric give ${graph.nnz} directed entries`);
  }
  return { indptr: graph.indptr, indices: graph.indices };
}
