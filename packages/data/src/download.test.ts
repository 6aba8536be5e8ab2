import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { DataError, DatasetNotFoundError } from '@musicrec/core';
import type { ProgressEvent } from '@musicrec/core';
import { locateDataset } from './download';
import type { DatasetManifest, ManifestSource } from './loaders/manifest';
import { tempFiles } from './loaders/testData';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const A = new TextEncoder().encode('userID\tartistID\r\n1\t2\r\n');
const B = new TextEncoder().encode('readme\n');
// members nested in a folder, as many dataset zips are
const ZIP = zipSync({ 'mini/a.dat': A, 'mini/readme.txt': B, 'mini/extra.bin': new Uint8Array(3) });

let server: Server;
let base: string;
let requests: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/mini.zip') {
      res.writeHead(200, { 'content-length': ZIP.length });
      res.end(Buffer.from(ZIP));
    } else if (req.url === '/a.dat') {
      res.writeHead(200);
      res.end(Buffer.from(A));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
  requests = [];
});

async function dirs() {
  const data = await tempFiles();
  const cache = await tempFiles();
  cleanups.push(data.cleanup, cache.cleanup);
  return { dataDir: data.dir, cacheDir: cache.dir };
}

function zipSource(url = `${base}/mini.zip`, sha = sha256(ZIP)): ManifestSource {
  return { url, format: 'zip', sha256: sha, bytes: ZIP.length };
}

function manifest(sources: ManifestSource[], aSha = sha256(A)): DatasetManifest {
  return {
    name: 'mini',
    title: 'a test dataset',
    folder: 'mini-data',
    homepage: base,
    sources,
    files: [
      { path: 'a.dat', bytes: A.length, sha256: aSha, required: true },
      { path: 'readme.txt', bytes: B.length, sha256: sha256(B), required: false },
    ],
    license: 'test',
    citation: 'test',
  };
}

describe('locateDataset', () => {
  it('downloads, verifies and extracts a missing dataset into the cache, reporting progress', async () => {
    const { dataDir, cacheDir } = await dirs();
    const events: ProgressEvent[] = [];
    const dir = await locateDataset(manifest([zipSource()]), { dataDir, cacheDir, onProgress: (e) => events.push(e) });
    expect(dir).toBe(join(cacheDir, 'mini-data'));
    expect(new Uint8Array(await readFile(join(dir, 'a.dat')))).toEqual(A);
    expect(await readFile(join(dir, 'readme.txt'), 'utf8')).toBe('readme\n');
    expect((await readdir(dir)).sort()).toEqual(['a.dat', 'readme.txt']); // only the manifest's files
    expect(await readdir(cacheDir)).toEqual(['mini-data']); // no temp files left
    expect(events[0]).toEqual({ stage: 'download mini', current: 0, total: ZIP.length });
    expect(events[events.length - 1]).toEqual({ stage: 'download mini', current: ZIP.length, total: ZIP.length });

    // the second time it is found, not fetched
    requests = [];
    expect(await locateDataset(manifest([zipSource()]), { dataDir, cacheDir })).toBe(dir);
    expect(requests).toEqual([]);
  });

  it('prefers a data directory that already holds the files', async () => {
    const { cacheDir } = await dirs();
    const data = await tempFiles();
    cleanups.push(data.cleanup);
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(data.dir, 'mini-data'));
    await writeFile(join(data.dir, 'mini-data', 'a.dat'), A); // the optional readme may be absent
    expect(await locateDataset(manifest([zipSource()]), { dataDir: data.dir, cacheDir })).toBe(join(data.dir, 'mini-data'));
    expect(requests).toEqual([]);
  });

  it('fetches a single-file source', async () => {
    const { dataDir, cacheDir } = await dirs();
    const m = manifest([{ url: `${base}/a.dat`, format: 'file', sha256: sha256(A), bytes: A.length }]);
    m.files = [m.files[0]];
    const dir = await locateDataset(m, { dataDir, cacheDir });
    expect(new Uint8Array(await readFile(join(dir, 'a.dat')))).toEqual(A);
  });

  it('falls back to the next source when one is unreachable', async () => {
    const { dataDir, cacheDir } = await dirs();
    const dir = await locateDataset(manifest([zipSource(`${base}/moved.zip`), zipSource()]), { dataDir, cacheDir });
    expect(requests).toEqual(['/moved.zip', '/mini.zip']);
    expect(new Uint8Array(await readFile(join(dir, 'a.dat')))).toEqual(A);
  });

  it('rejects a download whose sha256 differs and removes it', async () => {
    const { dataDir, cacheDir } = await dirs();
    const wrong = '0'.repeat(64);
    const err = await locateDataset(manifest([zipSource(undefined, wrong)]), { dataDir, cacheDir }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toContain(`sha256 ${sha256(ZIP)}, expected ${wrong}`);
    expect(err.message).toMatch(/the downloaded file was removed/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('rejects an archive member whose sha256 differs from the manifest', async () => {
    const { dataDir, cacheDir } = await dirs();
    const err = await locateDataset(manifest([zipSource()], 'f'.repeat(64)), { dataDir, cacheDir }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/a\.dat.*extracted file has sha256/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('offline: names the dataset, the directories tried and the fix', async () => {
    const { dataDir, cacheDir } = await dirs();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/mini.zip`;
    const err = await locateDataset(manifest([zipSource(url)]), { dataDir, cacheDir }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect(err.dataset).toBe('mini');
    expect(err.triedDirs).toEqual([dataDir, cacheDir]);
    expect(err.message).toContain(`looked in: ${dataDir}, ${cacheDir}`);
    expect(err.message).toContain('Set MUSICREC_DATA_DIR to a folder containing mini-data/, or pass --data-dir');
    expect(err.message).toContain(`connect to download from ${url}`);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('an HTTP error counts as unreachable', async () => {
    const { dataDir, cacheDir } = await dirs();
    const err = await locateDataset(manifest([zipSource(`${base}/gone.zip`)]), { dataDir, cacheDir }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect(err.message).toMatch(/HTTP 404/);
  });

  it('download: false never touches the network', async () => {
    const { dataDir, cacheDir } = await dirs();
    const err = await locateDataset(manifest([zipSource()]), { dataDir, cacheDir, download: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect(err.message).toMatch(/downloading is switched off/);
    expect(requests).toEqual([]);
  });
});
