import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataError } from '@musicrec/core';
import { SPOTIFY_AUDIO_COLUMNS, loadSpotifyPlaylists, readSpotifySongsFile } from './spotify';
import { realDataDir, tempFiles } from './testData';

const HEADER =
  'track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,' +
  'playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,' +
  'acousticness,instrumentalness,liveness,valence,tempo,duration_ms';
const AUDIO = '0.5,0.6,1,-5.5,1,0.05,0.1,0,0.2,0.7,120,200000';

const rows = [
  `t1,"Hello, World",Ann,60,a1,Album,2019-06-14,P1,p1,pop,dance pop,${AUDIO}`,
  `t2,NA,NA,40,a2,NA,1999,P1,p1,pop,dance pop,0.1,0.2,3,-9,0,0.3,0.4,0.5,0.6,0.8,90,100000`,
  `t1,"Hello, World",Ann,60,a1,Album,2019-06-14,P2,p2,rock,hard rock,${AUDIO}`,
  `t3,"Say ""Yes""",Bo,NA,a3,Alb,2004-03,P2,p2,rock,hard rock,${AUDIO}`,
  `t3,"Say ""Yes""",Bo,NA,a3,Alb,2004-03,P2,p2,rock,hard rock,${AUDIO}`,
];

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

async function read(lines: string[]) {
  const { dir, cleanup } = await tempFiles({ 'songs.csv': lines.map((l) => l + '\n').join('') });
  cleanups.push(cleanup);
  return readSpotifySongsFile(join(dir, 'songs.csv'));
}

describe('readSpotifySongsFile on a hand-made file', () => {
  it('makes playlists the users and tracks the items, value 1, a repeated track kept once', async () => {
    const d = await read([HEADER, ...rows]);
    const m = d.interactions;
    expect(m.userIds).toEqual(['p1', 'p2']);
    expect(m.itemIds).toEqual(['t1', 't2', 't3']);
    expect(Array.from(m.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(m.indices)).toEqual([0, 1, 0, 2]);
    expect(Array.from(m.values)).toEqual([1, 1, 1, 1]);
    expect(d.loadReport.dropped).toEqual({ 'duplicate track in playlist': 1 });
    expect(d.loadReport.files[0].rows).toBe(5);
  });

  it('fills the catalog from each track’s first row, NA as missing', async () => {
    const c = (await read([HEADER, ...rows])).catalog;
    expect(c.names).toEqual(['Hello, World', null, 'Say "Yes"']);
    expect(c.artists).toEqual(['Ann', null, 'Bo']);
    expect(c.genres).toEqual(['pop', 'pop', 'rock']); // t1's first row is in a pop playlist
    expect(c.subgenres).toEqual(['dance pop', 'dance pop', 'hard rock']);
    expect(Array.from(c.releaseYears!)).toEqual([2019, 1999, 2004]);
    expect(Array.from(c.popularity!)).toEqual([60, 40, NaN]);
    expect(c.audio!.columns).toEqual([...SPOTIFY_AUDIO_COLUMNS]);
    expect(Array.from(c.audio!.values.subarray(12, 24))).toEqual(
      [0.1, 0.2, 3, -9, 0, 0.3, 0.4, 0.5, 0.6, 0.8, 90, 100000].map(Math.fround),
    );
    expect(Array.from(c.audio!.present)).toEqual([1, 1, 1]);
  });

  it('counts NA per column over all rows', async () => {
    const { missing } = (await read([HEADER, ...rows])).loadReport;
    expect(missing).toEqual({ track_name: 1, track_artist: 1, track_album_name: 1, track_popularity: 2 });
  });

  it('names the missing column', async () => {
    const err = await read([HEADER.replace(',tempo,', ',tempi,'), rows[0]]).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ line: 1, field: 'tempo' });
  });

  it('names line and field of a non-numeric audio feature', async () => {
    const err = await read([HEADER, rows[0], rows[1].replace(',90,', ',fast,')]).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ line: 3, field: 'tempo' });
  });

  it('rejects a release date in another format', async () => {
    const err = await read([HEADER, rows[0].replace('2019-06-14', '14/06/2019')]).catch((e) => e);
    expect(err).toMatchObject({ line: 2, field: 'track_album_release_date' });
  });

  it('rejects a row with a different number of fields', async () => {
    const err = await read([HEADER, rows[0], 't9,x']).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/found 2 fields, expected 23/);
  });
});

describe('spotify-playlists, the real file', () => {
  it('has the documented counts', async () => {
    const d = await loadSpotifyPlaylists({ dataDir: realDataDir(), download: false });
    expect(d.loadReport.files[0].rows).toBe(32_833);
    expect(d.interactions.nItems).toBe(28_356);
    expect(d.interactions.nUsers).toBe(471);
    expect(d.interactions.nnz + d.loadReport.dropped['duplicate track in playlist']).toBe(32_833);
    expect(d.loadReport.dropped['duplicate track in playlist']).toBe(582); // distinct pairs 32,251, checked in Python
    expect(d.loadReport.missing).toEqual({ track_name: 5, track_artist: 5, track_album_name: 5 });
    expect(new Set(d.catalog.genres).size).toBe(6);
    expect(new Set(d.catalog.subgenres).size).toBe(24);
    const years = d.catalog.releaseYears!;
    let bad = 0;
    for (let i = 0; i < years.length; i++) if (!(years[i] >= 1900 && years[i] <= 2020)) bad++;
    expect(bad).toBe(0);
    // first data row: Ed Sheeran, I Don't Care (with Justin Bieber) - Loud Luxury Remix, tempo 122.036
    expect(d.catalog.itemIds[0]).toBe('6f807x0ima9a1j3VPbc7VN');
    expect(d.catalog.artists![0]).toBe('Ed Sheeran');
    expect(d.catalog.audio!.values[10]).toBeCloseTo(122.036, 3);
  });
});
