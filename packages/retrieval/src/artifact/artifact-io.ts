import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, Interactions, loadModelDir, saveModelDir } from '@musicrec/core';
import type { Catalog, Recommender } from '@musicrec/core';
import { ARTIFACT_FILES, ARTIFACT_FORMAT, type ArtifactCatalog, type ArtifactManifest } from './format';
import { modelFactory } from './model-table';

/** A loaded artifact: the model restored by its loader, the id maps, the catalogue and the training interactions. */
export interface Artifact {
  dir: string;
  manifest: ArtifactManifest;
  model: Recommender;
  /** The training interactions (seen-item filter, fold-in history); `userIds` / `itemIds` are the id maps. */
  interactions: Interactions;
  catalog: ArtifactCatalog;
}

const MAX_TAGS = 10;

/** The columns a person reads, from a dataset's catalogue (null where the dataset has none). */
export function artifactCatalog(catalog: Catalog): ArtifactCatalog {
  const strings = (col: readonly (string | null)[] | undefined) => (col ? col.map((v) => v ?? null) : null);
  const years = catalog.releaseYears ? Array.from(catalog.releaseYears, (y) => (Number.isFinite(y) ? y : null)) : null;
  let tags: string[][] | null = null;
  if (catalog.tags) {
    const t = catalog.tags;
    tags = [];
    for (let i = 0; i < catalog.itemIds.length; i++) {
      const order: number[] = [];
      for (let p = t.indptr[i]; p < t.indptr[i + 1]; p++) order.push(p);
      order.sort((a, b) => t.counts[b] - t.counts[a] || t.tagIndices[a] - t.tagIndices[b]);
      tags.push(order.slice(0, MAX_TAGS).map((p) => t.tagNames[t.tagIndices[p]]));
    }
  }
  return { names: strings(catalog.names), artists: strings(catalog.artists), genres: strings(catalog.genres), years, tags };
}

/**
 * Writes an artifact folder (layout in `format.ts`): the model through its own `save`, the id
 * maps and training interactions from `train`, the catalogue columns, and the manifest last,
 * so a folder with an `artifact.json` is complete. An existing folder is replaced.
 */
export async function writeArtifact(
  dir: string,
  parts: { model: Recommender; train: Interactions; catalog: Catalog; manifest: Omit<ArtifactManifest, 'format' | 'loader' | 'params' | 'users' | 'items' | 'nnz'> },
): Promise<ArtifactManifest> {
  const { model, train, catalog } = parts;
  if (catalog.itemIds.length !== train.nItems) {
    throw new DataError(`writeArtifact: catalogue has ${catalog.itemIds.length} items, the interactions ${train.nItems}`);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await model.save(join(dir, ARTIFACT_FILES.model));
  await writeFile(join(dir, ARTIFACT_FILES.users), JSON.stringify(train.userIds));
  await writeFile(join(dir, ARTIFACT_FILES.items), JSON.stringify(train.itemIds));
  await writeFile(join(dir, ARTIFACT_FILES.catalog), JSON.stringify(artifactCatalog(catalog)));
  await saveModelDir(
    join(dir, ARTIFACT_FILES.interactions),
    { nUsers: train.nUsers, nItems: train.nItems },
    { indptr: train.indptr, indices: train.indices, values: train.values },
  );
  const manifest: ArtifactManifest = {
    format: ARTIFACT_FORMAT,
    ...parts.manifest,
    loader: model.name,
    params: { ...model.params },
    users: train.nUsers,
    items: train.nItems,
    nnz: train.nnz,
  };
  await writeFile(join(dir, ARTIFACT_FILES.manifest), JSON.stringify(manifest, null, 2));
  return manifest;
}

async function readJson<T>(path: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataError(`artifact is missing its ${what}`, { file: path });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DataError(`artifact ${what} is not valid JSON: ${(e as Error).message}`, { file: path });
  }
}

function stringArray(v: unknown, n: number, path: string, what: string): string[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'string')) {
    throw new DataError(`expected ${n} ${what} ids (strings), as artifact.json says`, { file: path });
  }
  return v as string[];
}

/**
 * Restores an artifact folder: checks its format version, that every file is there, and
 * restores the model through the loader table (`MODEL_FACTORIES`). A folder of another format,
 * a missing file or a model nobody registered is refused with a DataError / ConfigError that
 * says which.
 */
export async function loadArtifact(dir: string): Promise<Artifact> {
  const manifestPath = join(dir, ARTIFACT_FILES.manifest);
  const manifest = await readJson<ArtifactManifest>(manifestPath, 'manifest (artifact.json); is this an artifact folder made by `bench train`?');
  if (manifest.format !== ARTIFACT_FORMAT) {
    throw new DataError(`artifact format ${JSON.stringify(manifest.format)} is not the format this musicrec reads (${ARTIFACT_FORMAT}); retrain it with \`bench train\``, {
      file: manifestPath,
      field: 'format',
    });
  }
  for (const key of ['model', 'loader', 'users', 'items'] as const) {
    if (manifest[key] === undefined) throw new DataError(`artifact.json has no "${key}"`, { file: manifestPath, field: key });
  }
  const factory = modelFactory(manifest.loader, `${manifestPath}: field "loader"`);
  for (const name of [ARTIFACT_FILES.model, ARTIFACT_FILES.interactions]) {
    try {
      await access(join(dir, name));
    } catch {
      throw new DataError(`artifact is missing its ${name}/ folder`, { file: join(dir, name) });
    }
  }
  const usersPath = join(dir, ARTIFACT_FILES.users);
  const itemsPath = join(dir, ARTIFACT_FILES.items);
  const userIds = stringArray(await readJson(usersPath, 'user id map'), manifest.users, usersPath, 'user');
  const itemIds = stringArray(await readJson(itemsPath, 'item id map'), manifest.items, itemsPath, 'item');
  const catalog = await readJson<ArtifactCatalog>(join(dir, ARTIFACT_FILES.catalog), 'catalogue');
  const stored = await loadModelDir(join(dir, ARTIFACT_FILES.interactions));
  const { indptr, indices, values } = stored.arrays;
  if (!(indptr instanceof Int32Array && indices instanceof Int32Array && values instanceof Float32Array)) {
    throw new DataError('expected int32 indptr, int32 indices and float32 values', { file: join(dir, ARTIFACT_FILES.interactions) });
  }
  const interactions = new Interactions(indptr, indices, values, userIds, itemIds);
  const model = await factory.load(join(dir, ARTIFACT_FILES.model));
  return { dir, manifest, model, interactions, catalog };
}
