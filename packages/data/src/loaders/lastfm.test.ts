import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataError } from '@musicrec/core';
import type { Dataset } from '@musicrec/core';
import { loadLastfm2k, readLastfm2kDir } from './lastfm';
import { readManifest } from './manifest';
import type { DatasetManifest } from './manifest';
import { realDataDir, tempFiles } from './testData';

const crlf = (lines: string[]) => lines.map((l) => l + '\r\n').join('');
const lf = (lines: string[]) => lines.map((l) => l + '\n').join('');

/** A tiny Last.fm folder, in the real files' formats (CRLF, LF for artists.dat, Latin-1 tags). */
function fixture(overrides: Record<string, string | Uint8Array> = {}): Record<string, string | Uint8Array> {
  return {
    'user_artists.dat': crlf(['userID\tartistID\tweight', '2\t51\t100', '2\t53\t50', '3\t52\t10', '3\t53\t5', '2\t51\t7']),
    'artists.dat': lf(['id\tname\turl\tpictureURL', '51\tBjörk\tu\tp', '52\tSigur Rós\tu\tp', '53\tThe Beatles\tu\tp', '99\tNobody\tu\tp']),
    'tags.dat': Buffer.from(crlf(['tagID\ttagValue', '1\trock', '2\tfußball', '3\tindie']), 'latin1'),
    'user_taggedartists-timestamps.dat': crlf([
      'userID\tartistID\ttagID\ttimestamp',
      '2\t52\t1\t2000',
      '2\t51\t1\t1000',
      '2\t51\t3\t3000',
      '2\t53\t2\t2000',
      '3\t53\t1\t500',
      '3\t77\t1\t100',
      '9\t51\t3\t50',
      '3\t52\t4\t600',
    ]),
    'user_friends.dat': crlf(['userID\tfriendID', '2\t3', '2\t8', '3\t3']),
    ...overrides,
  };
}

let manifest: DatasetManifest;
let cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  manifest = await readManifest('lastfm-2k');
});
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

async function readFixture(overrides: Record<string, string | Uint8Array> = {}): Promise<Dataset> {
  const { dir, cleanup } = await tempFiles(fixture(overrides));
  cleanups.push(cleanup);
  return readLastfm2kDir(dir, manifest);
}

describe('readLastfm2kDir on a hand-made folder', () => {
  it('builds plays with dense ids in order of first appearance and merges repeated rows', async () => {
    const d = await readFixture();
    const m = d.interactions;
    expect(m.userIds).toEqual(['2', '3']);
    expect(m.itemIds).toEqual(['51', '53', '52']);
    expect(Array.from(m.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(m.indices)).toEqual([0, 1, 1, 2]);
    expect(Array.from(m.values)).toEqual([107, 50, 5, 10]);
    expect(d.loadReport.dropped['duplicate user-artist row (play counts summed)']).toBe(1);
  });

  it('names artists from artists.dat and counts artists without plays', async () => {
    const d = await readFixture();
    expect(d.catalog.names).toEqual(['Björk', 'The Beatles', 'Sigur Rós']);
    expect(d.loadReport.dropped['artist in artists.dat without plays in user_artists.dat']).toBe(1);
  });

  it('decodes tags.dat as Latin-1 and counts tag assignments per artist', async () => {
    const tags = (await readFixture()).catalog.tags!;
    expect(tags.tagNames).toEqual(['rock', 'fußball', 'indie']);
    // 51: rock ×1, indie ×2 (users 2 and 9); 53: rock, fußball; 52: rock (its tag 4 is unknown)
    expect(Array.from(tags.indptr)).toEqual([0, 2, 4, 5]);
    expect(Array.from(tags.tagIndices)).toEqual([0, 2, 0, 1, 0]);
    expect(Array.from(tags.counts)).toEqual([1, 2, 1, 1, 1]);
  });

  it('orders each user’s distinct artists by first tag time, ties by artist id', async () => {
    const d = await readFixture();
    const s = d.sequences!;
    expect(Array.from(s.indptr)).toEqual([0, 3, 5]);
    // user 2: 51 @1000, then 52 and 53 both @2000 → 52 first by id (though its dense index is higher)
    expect(Array.from(s.items)).toEqual([0, 2, 1, 1, 2]);
    expect(Array.from(s.timestamps)).toEqual([1000, 2000, 2000, 500, 600]);
  });

  it('counts tag assignments it cannot place instead of dropping them silently', async () => {
    const { dropped } = (await readFixture()).loadReport;
    expect(dropped['tag assignment for an artist not in user_artists.dat']).toBe(1);
    expect(dropped['tag assignment with a tag id not in tags.dat (kept in sequences)']).toBe(1);
    expect(dropped['tag assignment by a user not in user_artists.dat (kept in tags)']).toBe(1);
  });

  it('makes the friend graph symmetric and counts unknown users and self-loops', async () => {
    const d = await readFixture();
    expect(Array.from(d.social!.indptr)).toEqual([0, 1, 2]);
    expect(Array.from(d.social!.indices)).toEqual([1, 0]);
    expect(d.loadReport.dropped['friend row naming a user not in user_artists.dat']).toBe(1);
    expect(d.loadReport.dropped['friend row linking a user to themself']).toBe(1);
    expect(d.loadReport.notes.join(' ')).toMatch(/1 rows made symmetric give 2 directed entries/);
  });

  it('rejects LF line endings where the format has CRLF', async () => {
    const err = await readFixture({ 'user_artists.dat': lf(['userID\tartistID\tweight', '2\t51\t1']) }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.file).toMatch(/user_artists\.dat$/);
    expect(err.line).toBe(1);
  });

  it('names file, line and field of a non-numeric play count', async () => {
    const err = await readFixture({ 'user_artists.dat': crlf(['userID\tartistID\tweight', '2\t51\t1', '2\t52\tlots']) }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ line: 3, field: 'weight' });
  });

  it('rejects an unexpected header', async () => {
    const err = await readFixture({ 'user_friends.dat': crlf(['user\tfriend', '2\t3']) }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/expected the header "userID\\tfriendID"/);
  });
});

describe('lastfm-2k, the real files', () => {
  let d: Dataset;
  beforeAll(async () => {
    d = await loadLastfm2k({ dataDir: realDataDir(), download: false });
  });

  it('has the documented counts', () => {
    const m = d.interactions;
    expect(m.nUsers).toBe(1892);
    expect(m.nItems).toBe(17_632);
    expect(m.nnz).toBe(92_834);
    let plays = 0;
    for (let k = 0; k < m.nnz; k++) plays += m.values[k];
    expect(plays).toBe(69_183_975);
    expect(d.catalog.names!.every((n) => n !== null)).toBe(true);
    expect(d.catalog.tags!.tagNames.length).toBe(11_946);
    expect(d.catalog.tags!.tagNames).toContain('fußball');
    expect(d.social!.indices.length).toBe(25_434);
    expect(d.loadReport.files.map((f) => f.rows)).toEqual([92_834, 17_632, 11_946, 186_479, 25_434]);
  });

  it('accounts for every tag assignment', () => {
    const counts = d.catalog.tags!.counts;
    let placed = 0;
    for (let k = 0; k < counts.length; k++) placed += counts[k];
    const unplaced = d.loadReport.dropped['tag assignment for an artist not in user_artists.dat'];
    expect(unplaced).toBe(1538); // counted independently with a Python script over the same files
    expect(placed + unplaced).toBe(186_479);
  });

  it('gives time-ordered sequences of distinct known artists', () => {
    const s = d.sequences!;
    expect(s.indptr.length).toBe(1893);
    expect(s.items.length).toBe(70_297); // distinct (user, artist) tag pairs, checked in Python
    let repeats = 0;
    let backwards = 0;
    for (let u = 0; u < 1892; u++) {
      const seen = new Set<number>();
      for (let k = s.indptr[u]; k < s.indptr[u + 1]; k++) {
        if (seen.has(s.items[k])) repeats++;
        seen.add(s.items[k]);
        if (k > s.indptr[u] && s.timestamps[k] < s.timestamps[k - 1]) backwards++;
      }
    }
    expect({ repeats, backwards }).toEqual({ repeats: 0, backwards: 0 });
    // user 2 first tagged artists 52, 63, 73, 94, 96 at the same instant, then 995
    const firstSix = Array.from(s.items.subarray(s.indptr[0], s.indptr[0] + 6), (i) => d.interactions.itemIds[i]);
    expect(d.interactions.userIds[0]).toBe('2');
    expect(firstSix).toEqual(['52', '63', '73', '94', '96', '995']);
  });

  it('joins Spotify audio by normalised artist name', async () => {
    const withAudio = await loadLastfm2k({ dataDir: realDataDir(), download: false, withSpotifyAudio: true });
    const audio = withAudio.catalog.audio!;
    expect(audio.columns.length).toBe(12);
    let matched = 0;
    for (let i = 0; i < audio.present.length; i++) matched += audio.present[i];
    expect(matched).toBe(2037); // same normalisation in Python gives 2,037 artists, 64.9% of plays
    expect(withAudio.loadReport.notes.join(' ')).toMatch(/2037 of 17632 artists .* covering 64\.9% of plays/);
    const beatles = withAudio.catalog.names!.indexOf('The Beatles');
    expect(audio.present[beatles]).toBe(1);
    expect(audio.values[beatles * 12 + 10]).toBeGreaterThan(40); // a mean tempo in BPM
  });
});
