import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { DataError, DatasetNotFoundError, silentProgress } from '@musicrec/core';
import type { ProgressListener } from '@musicrec/core';
import { findDatasetDir, resolveDataDirs } from './datadir';
import type { DataDirOptions } from './datadir';
import type { DatasetManifest, ManifestSource } from './loaders/manifest';

export interface LocateDatasetOptions extends DataDirOptions {
  /** Fetch a dataset that no data directory holds (default true). */
  download?: boolean;
  onProgress?: ProgressListener;
  /** Give up on a source that sends nothing for this long (default 30 s). */
  idleTimeoutMs?: number;
}

/**
 * The folder holding `manifest`'s files: the first data directory that has them all, else
 * a fresh download into the cache. Offline (or with `download: false`) the error names the
 * dataset, every directory tried and the ways to fix it.
 */
export async function locateDataset(manifest: DatasetManifest, options: LocateDatasetOptions = {}): Promise<string> {
  const dirs = resolveDataDirs(options);
  const found = await findDatasetDir(manifest, dirs);
  if (found) return found;
  const cacheDir = dirs[dirs.length - 1];
  if (options.download === false) {
    throw new DatasetNotFoundError(manifest.name, dirs, `${fixHint(manifest)} (downloading is switched off).`);
  }
  return downloadDataset(manifest, cacheDir, { ...options, triedDirs: dirs });
}

function fixHint(manifest: DatasetManifest): string {
  return (
    `Set MUSICREC_DATA_DIR to a folder containing ${manifest.folder}/, or pass --data-dir, ` +
    `or connect to download from ${manifest.sources[0].url}`
  );
}

/** Thrown inside a download attempt when the source cannot be reached or answers with an error. */
class UnreachableSource extends Error {}

/**
 * Downloads the dataset into `<cacheDir>/<folder>/`, trying each manifest source in order.
 * Every download is checked against its sha256 (a mismatch removes the file) and every
 * extracted file against its own; the folder appears only once complete.
 */
export async function downloadDataset(
  manifest: DatasetManifest,
  cacheDir: string,
  options: Pick<LocateDatasetOptions, 'onProgress' | 'idleTimeoutMs'> & { triedDirs?: string[] } = {},
): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const unreachable: string[] = [];
  const corrupt: string[] = [];
  for (const source of manifest.sources) {
    const tmpFile = join(cacheDir, `.${manifest.folder}.${process.pid}.${Date.now()}.part`);
    try {
      const sha = await fetchToFile(source, tmpFile, `download ${manifest.name}`, options);
      if (sha !== source.sha256) {
        corrupt.push(`${source.url}: sha256 ${sha}, expected ${source.sha256}`);
        continue;
      }
      return await installDownload(manifest, source, tmpFile, cacheDir);
    } catch (e) {
      if (e instanceof UnreachableSource) unreachable.push(`${source.url}: ${e.message}`);
      else throw e;
    } finally {
      await rm(tmpFile, { force: true });
    }
  }
  if (corrupt.length > 0) {
    throw new DataError(
      `download of "${manifest.name}" failed verification, the downloaded file was removed: ${corrupt.join('; ')}` +
        (unreachable.length > 0 ? `; also unreachable: ${unreachable.join('; ')}` : ''),
      { file: manifest.sources[0].url, field: 'sha256' },
    );
  }
  throw new DatasetNotFoundError(
    manifest.name,
    options.triedDirs ?? [cacheDir],
    `${fixHint(manifest)} (download failed: ${unreachable.join('; ')}).`,
  );
}

/** Streams a URL into a file, hashing as it goes; returns the sha256 hex digest. */
async function fetchToFile(
  source: ManifestSource,
  path: string,
  stage: string,
  options: Pick<LocateDatasetOptions, 'onProgress' | 'idleTimeoutMs'>,
): Promise<string> {
  const onProgress = options.onProgress ?? silentProgress;
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const abort = new AbortController();
  let timer = setTimeout(() => abort.abort(), idleMs);
  const file = await open(path, 'w');
  try {
    let response: Response;
    try {
      response = await fetch(source.url, { signal: abort.signal });
    } catch (e) {
      throw new UnreachableSource(describeFetchError(e, abort.signal.aborted, idleMs));
    }
    if (!response.ok || !response.body) {
      throw new UnreachableSource(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    const total = Number(response.headers.get('content-length')) || source.bytes;
    const hash = createHash('sha256');
    let received = 0;
    onProgress({ stage, current: 0, total });
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => abort.abort(), idleMs);
        hash.update(chunk);
        await file.write(chunk);
        received += chunk.byteLength;
        onProgress({ stage, current: received, total });
      }
    } catch (e) {
      throw new UnreachableSource(describeFetchError(e, abort.signal.aborted, idleMs));
    }
    return hash.digest('hex');
  } finally {
    clearTimeout(timer);
    await file.close();
  }
}

function describeFetchError(e: unknown, timedOut: boolean, idleMs: number): string {
  if (timedOut) return `no data for ${idleMs / 1000} s`;
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** Moves a verified download into place (extracting a zip), checking each expected file. */
async function installDownload(
  manifest: DatasetManifest,
  source: ManifestSource,
  tmpFile: string,
  cacheDir: string,
): Promise<string> {
  const staging = join(cacheDir, `.${manifest.folder}.${process.pid}.${Date.now()}.staging`);
  const target = join(cacheDir, manifest.folder);
  await mkdir(staging, { recursive: true });
  try {
    if (source.format === 'file') {
      await rename(tmpFile, join(staging, manifest.files[0].path));
    } else {
      await extractZip(manifest, tmpFile, staging, source.url);
    }
    for (const file of manifest.files) {
      const path = join(staging, file.path);
      const sha = await sha256File(path).catch(() => undefined);
      if (sha === undefined) {
        if (file.required) throw new DataError(`archive has no member "${file.path}"`, { file: source.url });
        continue;
      }
      if (sha !== file.sha256) {
        throw new DataError(`extracted file has sha256 ${sha}, expected ${file.sha256}`, {
          file: `${source.url} → ${file.path}`,
          field: 'sha256',
        });
      }
    }
    // a half-filled folder from an interrupted run must not block the complete one
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function extractZip(manifest: DatasetManifest, zipPath: string, into: string, url: string): Promise<void> {
  const wanted = new Map(manifest.files.map((f) => [basename(f.path), f.path]));
  let members: Record<string, Uint8Array>;
  try {
    // only the manifest's files are inflated, matched by file name wherever the zip nests them
    members = unzipSync(await readFile(zipPath), { filter: (m) => wanted.has(basename(m.name)) });
  } catch (e) {
    throw new DataError(`cannot extract zip: ${(e as Error).message}`, { file: url });
  }
  for (const [name, bytes] of Object.entries(members)) {
    const rel = wanted.get(basename(name))!;
    const out = join(into, rel);
    await mkdir(join(out, '..'), { recursive: true });
    await writeFile(out, bytes);
  }
}

/** Hex sha256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

export interface FileCheck {
  path: string;
  present: boolean;
  bytes: number;
  sha256: string | null;
  ok: boolean;
}

/** Checks every manifest file in `dir` against its recorded size and sha256. */
export async function verifyDatasetFiles(manifest: DatasetManifest, dir: string): Promise<FileCheck[]> {
  const checks: FileCheck[] = [];
  for (const file of manifest.files) {
    const path = join(dir, file.path);
    const sha = await sha256File(path).catch(() => null);
    const bytes = sha === null ? 0 : (await stat(path)).size;
    checks.push({ path: file.path, present: sha !== null, bytes, sha256: sha, ok: sha === file.sha256 && bytes === file.bytes });
  }
  return checks;
}
