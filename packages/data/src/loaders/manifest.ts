import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@musicrec/core';
import { findRepoRoot } from '../datadir';
import type { LineEnding, TextEncoding } from './lines';

/** Where a dataset can be fetched from: a zip archive, or the one data file itself. */
export interface ManifestSource {
  url: string;
  format: 'zip' | 'file';
  sha256: string;
  bytes: number;
  /** Why this source exists (official, mirror pinned to a commit...). */
  note?: string;
}

export interface ManifestFile {
  /** Path inside the dataset folder (for zips: matched to archive members by file name). */
  path: string;
  bytes: number;
  sha256: string;
  /** Loaders need it; optional files (readmes, redundant copies) may be absent. */
  required: boolean;
  encoding?: TextEncoding;
  lineEnding?: Exclude<LineEnding, 'auto'>;
  /** Data rows, header excluded. */
  rows?: number;
}

/** `datasets/manifests/<name>.json`: where a dataset comes from and what it must contain. */
export interface DatasetManifest {
  name: string;
  title: string;
  /** Subfolder of a data directory that holds the files. */
  folder: string;
  homepage: string;
  /** Tried in order; the first is the official URL. */
  sources: ManifestSource[];
  files: ManifestFile[];
  license: string;
  citation: string;
}

export function manifestsDir(): string {
  return join(findRepoRoot(), 'datasets', 'manifests');
}

/** Reads and checks `datasets/manifests/<name>.json`. */
export async function readManifest(name: string, dir: string = manifestsDir()): Promise<DatasetManifest> {
  const path = join(dir, `${name}.json`);
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read dataset manifest: ${(e as Error).message}`, { file: path });
  }
  return checkManifest(doc, path);
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Validates a parsed manifest; every problem names the field. */
export function checkManifest(doc: unknown, path = '(manifest)'): DatasetManifest {
  const fail = (field: string, what: string): never => {
    throw new DataError(what, { file: path, field });
  };
  if (typeof doc !== 'object' || doc === null) return fail('(root)', 'manifest must be a JSON object');
  const m = doc as Record<string, unknown>;
  for (const key of ['name', 'title', 'folder', 'homepage', 'license', 'citation']) {
    if (typeof m[key] !== 'string' || (m[key] as string).length === 0) fail(key, 'must be a non-empty string');
  }
  if (!Array.isArray(m.sources) || m.sources.length === 0) fail('sources', 'must be a non-empty array');
  (m.sources as unknown[]).forEach((s, i) => {
    const src = s as Record<string, unknown>;
    if (typeof src.url !== 'string' || !/^https?:\/\//.test(src.url)) fail(`sources[${i}].url`, 'must be an http(s) URL');
    if (src.format !== 'zip' && src.format !== 'file') fail(`sources[${i}].format`, 'must be "zip" or "file"');
    if (typeof src.sha256 !== 'string' || !SHA256.test(src.sha256)) fail(`sources[${i}].sha256`, 'must be 64 lowercase hex digits');
    if (typeof src.bytes !== 'number' || src.bytes <= 0) fail(`sources[${i}].bytes`, 'must be a positive number');
  });
  if (!Array.isArray(m.files) || m.files.length === 0) fail('files', 'must be a non-empty array');
  (m.files as unknown[]).forEach((f, i) => {
    const file = f as Record<string, unknown>;
    if (typeof file.path !== 'string' || file.path.length === 0) fail(`files[${i}].path`, 'must be a non-empty string');
    if (typeof file.sha256 !== 'string' || !SHA256.test(file.sha256)) fail(`files[${i}].sha256`, 'must be 64 lowercase hex digits');
    if (typeof file.bytes !== 'number' || file.bytes < 0) fail(`files[${i}].bytes`, 'must be a number ≥ 0');
    if (typeof file.required !== 'boolean') fail(`files[${i}].required`, 'must be true or false');
  });
  const singleFile = (m.sources as ManifestSource[]).some((s) => s.format === 'file');
  if (singleFile && (m.files as unknown[]).length !== 1) {
    fail('sources', 'a "file" source needs exactly one entry in files');
  }
  return doc as DatasetManifest;
}

/** The manifest entry for one file of the dataset. */
export function manifestFile(manifest: DatasetManifest, path: string): ManifestFile {
  const file = manifest.files.find((f) => f.path === path);
  if (!file) throw new DataError(`manifest "${manifest.name}" lists no file "${path}"`, { field: 'files' });
  return file;
}
