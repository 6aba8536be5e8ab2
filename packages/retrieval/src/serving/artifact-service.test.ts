import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, ConfigError, recommendTopK, isFactorFoldIn } from '@musicrec/core';
import { loadDataset } from '@musicrec/data';
import { ialsFactory } from '@musicrec/models-classic';
import { loadArtifact } from '../artifact/artifact-io';
import { trainArtifact } from '../artifact/train-artifact';
import { ArtifactService } from './artifact-service';
import { normalizeForSearch } from './catalog-search';
import { UnknownIdError } from './unknown-id-error';

let dir: string;
let ials: ArtifactService;
let ialsExact: ArtifactService;
let pop: ArtifactService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-service-'));
  const dataset = await loadDataset('synthetic', { nUsers: 300, nItems: 400, nInteractions: 8000, seed: 5 });
  await trainArtifact({ dataset, loader: 'ials', params: { factors: 16, iterations: 6 }, out: join(dir, 'ials') });
  await trainArtifact({ dataset, loader: 'popularity', out: join(dir, 'pop') });
  ials = await ArtifactService.open(join(dir, 'ials'));
  ialsExact = await ArtifactService.open(join(dir, 'ials'), { retrieval: 'exact', key: 'ials-exact' });
  pop = await ArtifactService.open(join(dir, 'pop'));
}, 60_000);

afterAll(async () => {
  await Promise.all([ials.close(), ialsExact.close(), pop.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('loadArtifact', () => {
  it('restores the model by its loader name with the id maps and training interactions', async () => {
    const a = await loadArtifact(join(dir, 'ials'));
    expect(a.model.name).toBe('ials');
    expect(isFactorFoldIn(a.model)).toBe(true);
    expect(a.interactions.nUsers).toBe(300);
    expect(a.interactions.userIds[0]).toBe('u0');
    expect(a.manifest.nnz).toBe(a.interactions.nnz);
    expect(a.catalog.names?.length).toBe(400);
  });

  it('refuses another format version, a missing file and an unregistered model, saying which', async () => {
    const manifestPath = join(dir, 'ials', 'artifact.json');
    const original = await readFile(manifestPath, 'utf8');
    try {
      await writeFile(manifestPath, JSON.stringify({ ...JSON.parse(original), format: 2 }));
      await expect(loadArtifact(join(dir, 'ials'))).rejects.toThrow(/field "format": artifact format 2 is not the format this musicrec reads \(1\)/);
      await writeFile(manifestPath, JSON.stringify({ ...JSON.parse(original), loader: 'deep-magic' }));
      await expect(loadArtifact(join(dir, 'ials'))).rejects.toThrow(ConfigError);
      await expect(loadArtifact(join(dir, 'ials'))).rejects.toThrow(/no model named "deep-magic" is registered; registered: popularity, item-knn/);
    } finally {
      await writeFile(manifestPath, original);
    }
    const users = join(dir, 'pop', 'users.json');
    const saved = await readFile(users, 'utf8');
    await rm(users);
    try {
      await expect(loadArtifact(join(dir, 'pop'))).rejects.toThrow(/users\.json: artifact is missing its user id map/);
    } finally {
      await writeFile(users, saved);
    }
  });
});

describe('ArtifactService', () => {
  it('exact recommendations equal the model ranking every item with the training items excluded', async () => {
    const a = await loadArtifact(join(dir, 'ials'));
    const want = recommendTopK(a.model, Int32Array.of(12), a.interactions.nItems, 10, { exclude: a.interactions });
    const got = await ialsExact.recommend('u12', 10);
    expect(got.map((r) => r.id)).toEqual(Array.from(want.items, (i) => a.interactions.itemIds[i]));
    expect(got.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got[0].score).toBeCloseTo(want.scores[0], 5);
  });

  it('HNSW recommendations never contain a training item and mostly agree with exact', async () => {
    const a = await loadArtifact(join(dir, 'ials'));
    let overlap = 0;
    for (let u = 0; u < 50; u++) {
      const approx = await ials.recommend(`u${u}`, 10);
      const exact = await ials.recommend(`u${u}`, 10, { retrieval: 'exact' });
      const seen = new Set(Array.from(a.interactions.itemsOf(u), (i) => a.interactions.itemIds[i]));
      for (const r of approx) expect(seen.has(r.id)).toBe(false);
      const e = new Set(exact.map((r) => r.id));
      overlap += approx.filter((r) => e.has(r.id)).length;
    }
    expect(overlap / 500).toBeGreaterThan(0.95);
    expect(ials.info).toMatchObject({ index: 'hnsw', abilities: { foldIn: 'ials', coldStart: true } });
  });

  it('a listen reaches the next recommendation through fold-in; an unknown user id becomes a user', async () => {
    const service = await ArtifactService.open(join(dir, 'ials'), { retrieval: 'exact' });
    try {
      const before = await service.recommend('u3', 10);
      const top = before[0].id;
      expect(service.addListen('u3', top)).toMatchObject({ newUser: false });
      const after = await service.recommend('u3', 10);
      expect(after.map((r) => r.id)).not.toContain(top);
      expect(after.map((r) => r.id)).not.toEqual(before.map((r) => r.id));

      expect(service.hasUser('newcomer')).toBe(false);
      expect(() => service.recommend('newcomer', 5)).rejects.toThrow(UnknownIdError);
      expect(service.addListen('newcomer', 't5')).toEqual({ newUser: true, historyLength: 1 });
      expect(service.addListen('newcomer', 't9')).toEqual({ newUser: false, historyLength: 2 });
      const fresh = await service.recommend('newcomer', 5);
      // a new user's list is the fold-in of their listens: the liked-items answer
      expect(fresh.map((r) => r.id)).toEqual((await service.recommendFromLiked(['t5', 't9'], 5)).map((r) => r.id));
      expect(fresh.map((r) => r.id)).not.toContain('t5');
    } finally {
      await service.close();
    }
  });

  it('a model without fold-in uses its liked-items scoring after a listen', async () => {
    const service = await ArtifactService.open(join(dir, 'pop'));
    try {
      const before = await service.recommend('u1', 3);
      service.addListen('u1', before[0].id);
      const after = await service.recommend('u1', 3);
      expect(after.map((r) => r.id)).toEqual([before[1].id, before[2].id, expect.any(String)]);
      expect(service.info.abilities.foldIn).toBe('liked-items');
    } finally {
      await service.close();
    }
  });

  it('cold start leaves the liked items out and names a bad entry by its position', async () => {
    const recs = await ials.recommendFromLiked(['t1', 't2', 't3'], 10);
    expect(recs).toHaveLength(10);
    for (const id of ['t1', 't2', 't3']) expect(recs.map((r) => r.id)).not.toContain(id);
    await expect(ials.recommendFromLiked(['t1', 'zzz'], 10)).rejects.toMatchObject({ field: 'liked[1]', kind: 'item' });
    await expect(ials.recommendFromLiked([], 10)).rejects.toMatchObject({ field: 'liked' });
  });

  it('k outside 1..1000 or not an integer is a DataError naming k', async () => {
    for (const k of [0, -1, 1001, 2.5, Number.NaN]) {
      await expect(ials.recommend('u1', k)).rejects.toThrow(DataError);
      await expect(ials.recommend('u1', k)).rejects.toMatchObject({ field: 'k' });
    }
  });

  it('search ignores accents, case and punctuation and ranks exact names first', () => {
    expect(normalizeForSearch('  Beyoncé — Déjà Vu! ')).toBe('beyonce deja vu');
    expect(normalizeForSearch('Björk Guðmundsdóttir')).toBe('bjork gudmundsdottir');
    expect(normalizeForSearch('Mø · Æther · Straße · Łódź')).toBe('mo aether strasse lodz');
    const hits = ials.search('track 12', 5);
    expect(hits[0].name).toBe('Track 12');
    for (const h of hits) expect(normalizeForSearch(h.name!)).toContain('track 12');
    expect(ials.search('TRACK 12', 5).map((h) => h.id)).toEqual(hits.map((h) => h.id));
    expect(ials.search('!!!', 5)).toEqual([]);
  });

  it('a model without an ability says so', () => {
    expect(() => pop.explain('u1', 't1')).toThrow(/does not explain/);
    expect(() => pop.similar('t1', 5)).toThrow(/no similar-items ability/);
  });
});
