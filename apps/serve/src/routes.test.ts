import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactService, loadArtifact, type Recommendation, type ServedItem } from '@musicrec/retrieval';
import { startServer, type RunningServer } from './start';
import { ACCENTED, call, makeTestArtifacts, type TestArtifacts } from './test-artifacts';

let dir: string;
let artifacts: TestArtifacts;
let server: RunningServer;
let base: string;
/** Opened beside the server on the same folders: what the routes must answer. */
let ials: ArtifactService;
let ialsExact: ArtifactService;
let ensemble: ArtifactService;
/** u12's training items. */
let seenByU12: Set<string>;

const ids = (items: { id: string }[]) => items.map((i) => i.id);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-routes-'));
  artifacts = await makeTestArtifacts(dir);
  server = await startServer({ artifacts: [artifacts.ials, artifacts.ensemble], port: 0, host: '127.0.0.1', db: join(dir, 'listens.sqlite') });
  base = server.url;
  ials = await ArtifactService.open(artifacts.ials);
  ialsExact = await ArtifactService.open(artifacts.ials, { retrieval: 'exact' });
  ensemble = await ArtifactService.open(artifacts.ensemble);
  const a = await loadArtifact(artifacts.ials);
  const u = a.interactions.userIds.indexOf('u12');
  const { indptr, indices } = a.interactions;
  seenByU12 = new Set(Array.from(indices.subarray(indptr[u], indptr[u + 1]), (i) => a.interactions.itemIds[i]));
});

afterAll(async () => {
  await server?.close();
  await Promise.all([ials?.close(), ialsExact?.close(), ensemble?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('GET /recommend (known user)', () => {
  it('answers what ArtifactService.recommend answers, ranked 1..k, with none of the user’s training items', async () => {
    const r = await call(base, 'GET', '/recommend?user=u12&k=10');
    expect(r.status).toBe(200);
    expect(r.body.model).toBe('ials');
    expect(r.body.user).toBe('u12');
    const items = r.body.items as Recommendation[];
    expect(items).toEqual(await ials.recommend('u12', 10));
    expect(items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seenByU12.size).toBeGreaterThan(0);
    for (const i of items) expect(seenByU12.has(i.id)).toBe(false);
    for (let j = 1; j < items.length; j++) expect(items[j].score).toBeLessThanOrEqual(items[j - 1].score);
  });

  it('retrieval=exact scores every item (the exact service’s answer), k defaults to 10', async () => {
    const r = await call(base, 'GET', '/recommend?user=u12&retrieval=exact');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual(await ialsExact.recommend('u12', 10));
  });

  it('model= picks an artifact by key; without it the first loaded answers', async () => {
    const r = await call(base, 'GET', '/recommend?user=u3&k=5&model=ensemble');
    expect(r.body.model).toBe('ensemble');
    expect(r.body.items).toEqual(await ensemble.recommend('u3', 5));
    expect((await call(base, 'GET', '/recommend?user=u3&k=5')).body.model).toBe('ials');
  });
});

describe('POST /recommend (liked items, cold start)', () => {
  it('answers ArtifactService.recommendFromLiked and never returns a liked item', async () => {
    const liked = ['t1', 't2', 't40'];
    const r = await call(base, 'POST', '/recommend', { json: { liked, k: 7, model: 'ensemble' } });
    expect(r.status).toBe(200);
    expect(r.body.liked).toEqual(liked);
    expect(r.body.items).toEqual(await ensemble.recommendFromLiked(liked, 7));
    expect(r.body.items).toHaveLength(7);
    for (const id of ids(r.body.items)) expect(liked).not.toContain(id);
  });

  it('k defaults to 10 and the default model answers', async () => {
    const r = await call(base, 'POST', '/recommend', { json: { liked: ['t5'] } });
    expect(r.body.model).toBe('ials');
    expect(r.body.items).toEqual(await ials.recommendFromLiked(['t5'], 10));
  });
});

describe('GET /similar/:item', () => {
  it('answers ArtifactService.similar: k items, never the item, most similar first', async () => {
    const r = await call(base, 'GET', '/similar/t3?k=8');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: 'ials', item: 't3' });
    const items = r.body.items as ServedItem[];
    // the declared ServedItem fields: the schema drops anything else the service object carries
    const served = ({ id, score, name, artist, genre, year, tags }: ServedItem): ServedItem => ({ id, score, name, artist, genre, year, tags });
    expect(items).toEqual(ials.similar('t3', 8).map(served));
    expect(items).toHaveLength(8);
    expect(ids(items)).not.toContain('t3');
    for (let j = 1; j < items.length; j++) expect(items[j].score).toBeLessThanOrEqual(items[j - 1].score);
  });
});

describe('GET /explain', () => {
  it('for a user: the ensemble’s components add up to the score, which is the item’s', async () => {
    const top = (await ensemble.recommend('u12', 1))[0];
    const r = await call(base, 'GET', `/explain?user=u12&item=${top.id}&model=ensemble`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ model: 'ensemble', ...ensemble.explain('u12', top.id) });
    expect(r.body.user).toBe('u12');
    expect(r.body.item.id).toBe(top.id);
    const sum = Object.values(r.body.contributions as Record<string, number>).reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(r.body.score, 5);
    expect(r.body.score).toBeCloseTo(top.score, 5);
  });

  it('for liked items (cold start): the nearest liked items are among the liked ones; one liked= is a list of one', async () => {
    const liked = ['t1', 't2', 't40'];
    const r = await call(base, 'GET', `/explain?liked=t1&liked=t2&liked=t40&item=t9&model=ensemble`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ model: 'ensemble', ...ensemble.explainFromLiked(liked, 't9') });
    expect(r.body.user).toBeNull();
    expect(r.body.nearestLikedItems.length).toBeGreaterThan(0);
    for (const n of r.body.nearestLikedItems) expect(liked).toContain(n.id);
    const one = await call(base, 'GET', `/explain?liked=t1&item=t9&model=ensemble`);
    expect(one.body).toEqual({ model: 'ensemble', ...ensemble.explainFromLiked(['t1'], 't9') });
  });
});

describe('GET /search', () => {
  it('finds an accented name by an unaccented, lower-case query, and by its artist', async () => {
    for (const q of ['cafe tacvba', 'CAFÉ', 'Cafe Tacvba en vivo']) {
      const r = await call(base, 'GET', `/search?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      expect(r.body.q).toBe(q);
      expect(r.body.items[0]).toMatchObject({ id: ACCENTED.item, name: ACCENTED.name, artist: ACCENTED.artist });
    }
    const byArtist = await call(base, 'GET', '/search?q=bjork&model=ensemble');
    expect(byArtist.body.model).toBe('ensemble');
    expect(ids(byArtist.body.items)).toEqual([ACCENTED.item]);
  });

  it('limit bounds the answer; names rank before artists (ArtifactService.search)', async () => {
    const r = await call(base, 'GET', '/search?q=track%201&limit=5');
    expect(r.body.items).toHaveLength(5);
    expect(r.body.items).toEqual(ials.search('track 1', 5));
    expect(r.body.items[0].name).toBe('Track 1');
  });
});

describe('GET /health and the page', () => {
  it('lists the loaded artifacts with their ServiceInfo, the store path and listen count', async () => {
    const r = await call(base, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.defaultModel).toBe('ials');
    expect(r.body.artifacts).toEqual([ials.info, { ...ensemble.info }].map((info, j) => ({ ...info, indexBuildMs: r.body.artifacts[j].indexBuildMs })));
    expect(r.body.artifacts.map((a: { key: string }) => a.key)).toEqual(['ials', 'ensemble']);
    expect(r.body.artifacts[0]).toMatchObject({ model: 'ials', dataset: 'synthetic', users: 300, items: 400, index: 'hnsw' });
    expect(r.body.store).toEqual({ location: join(dir, 'listens.sqlite'), listens: 0 });
  });

  it('serves the page, its script and its stylesheet from this server only (CSP self)', async () => {
    const page = await fetch(base + '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/app.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(base + '/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("api('/health')");
    expect((await fetch(base + '/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});
