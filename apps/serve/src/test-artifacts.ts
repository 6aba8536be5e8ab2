import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '@musicrec/data';
import { ARTIFACT_FILES, trainArtifact, type ArtifactCatalog } from '@musicrec/retrieval';

/** Where the fixture puts accented names, so search can be checked with unaccented queries. */
export const ACCENTED = { item: 't7', name: 'Café Tacvba en Vivo', artist: 'Björk Guðmundsdóttir' } as const;

export interface TestArtifacts {
  /** iALS (HNSW, fold-in, similar items, explanations). */
  ials: string;
  /** The ensemble hybrid (explanations with components, liked-items fold-in). */
  ensemble: string;
  /** Popularity: no similar items, no explanations (the abilities a model may lack). */
  popularity: string;
}

/**
 * Three small artifacts on one synthetic dataset (300 users × 400 items), trained in well under a
 * second each, for the server's tests. Item t7 gets an accented name and artist.
 */
export async function makeTestArtifacts(dir: string): Promise<TestArtifacts> {
  const dataset = await loadDataset('synthetic', { nUsers: 300, nItems: 400, nInteractions: 8000, seed: 5 });
  const out = { ials: join(dir, 'ials'), ensemble: join(dir, 'ensemble'), popularity: join(dir, 'popularity') };
  await trainArtifact({ dataset, loader: 'ials', params: { factors: 16, iterations: 6 }, out: out.ials });
  await trainArtifact({ dataset, loader: 'ensemble', params: { cfParams: { factors: 16, iterations: 6 } }, out: out.ensemble });
  await trainArtifact({ dataset, loader: 'popularity', out: out.popularity });
  for (const a of Object.values(out)) await accent(a);
  return out;
}

async function accent(artifactDir: string): Promise<void> {
  const itemIds = JSON.parse(await readFile(join(artifactDir, ARTIFACT_FILES.items), 'utf8')) as string[];
  const file = join(artifactDir, ARTIFACT_FILES.catalog);
  const catalog = JSON.parse(await readFile(file, 'utf8')) as ArtifactCatalog;
  const i = itemIds.indexOf(ACCENTED.item);
  if (i < 0 || !catalog.names || !catalog.artists) throw new Error(`fixture: no item ${ACCENTED.item} with a name and artist`);
  catalog.names[i] = ACCENTED.name;
  catalog.artists[i] = ACCENTED.artist;
  await writeFile(file, JSON.stringify(catalog));
}

/** An answer's status and parsed JSON body. */
export interface JsonAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallBody {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (malformed JSON, another content type). */
  raw?: string;
  contentType?: string;
}

/** One request against a running server; the answer's JSON parsed. */
export async function call<T = any>(base: string, method: string, path: string, send: CallBody = {}): Promise<JsonAnswer<T>> {
  const init: RequestInit = { method };
  if (send.json !== undefined || send.raw !== undefined) {
    init.body = send.raw ?? JSON.stringify(send.json);
    init.headers = { 'content-type': send.contentType ?? 'application/json' };
  } else if (send.contentType) {
    init.headers = { 'content-type': send.contentType };
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
