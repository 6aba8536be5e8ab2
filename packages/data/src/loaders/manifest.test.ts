import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataError } from '@musicrec/core';
import { verifyDatasetFiles } from '../download';
import { checkManifest, readManifest } from './manifest';
import { realDataDir } from './testData';

describe('dataset manifests', () => {
  it.each(['lastfm-2k', 'spotify-playlists'])('%s matches the real files byte for byte', async (name) => {
    const manifest = await readManifest(name);
    expect(manifest.name).toBe(name);
    const checks = await verifyDatasetFiles(manifest, join(realDataDir(), manifest.folder));
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(manifest.license.length).toBeGreaterThan(20);
    expect(manifest.citation.length).toBeGreaterThan(20);
  });

  it('lastfm-2k points at the official archive and records each file format', async () => {
    const m = await readManifest('lastfm-2k');
    expect(m.sources[0]).toMatchObject({
      url: 'https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip',
      sha256: '6738f48195667ff03caaab4d32ca9a3133d8cc026b7c3cdaf6ce1010e913c59c',
      bytes: 2_589_075,
    });
    const formats = Object.fromEntries(m.files.map((f) => [f.path, `${f.encoding}/${f.lineEnding}`]));
    expect(formats['artists.dat']).toBe('utf-8/lf');
    expect(formats['tags.dat']).toBe('latin1/crlf');
    expect(formats['user_artists.dat']).toBe('utf-8/crlf');
  });

  it('names the field of a broken manifest', () => {
    const good = { name: 'x', title: 't', folder: 'f', homepage: 'h', license: 'l', citation: 'c',
      sources: [{ url: 'https://e/x.zip', format: 'zip', sha256: 'a'.repeat(64), bytes: 1 }],
      files: [{ path: 'p', bytes: 1, sha256: 'b'.repeat(64), required: true }] };
    expect(checkManifest(good)).toBe(good);
    const bad = { ...good, sources: [{ ...good.sources[0], sha256: 'XYZ' }] };
    expect(() => checkManifest(bad, 'm.json')).toThrow(DataError);
    expect(() => checkManifest(bad, 'm.json')).toThrow(/m\.json, field "sources\[0\]\.sha256": must be 64 lowercase hex digits/);
    expect(() => checkManifest({ ...good, folder: '' })).toThrow(/field "folder"/);
  });

  it('reports an unknown manifest with its path', async () => {
    await expect(readManifest('no-such-dataset')).rejects.toThrow(/no-such-dataset\.json/);
  });
});
