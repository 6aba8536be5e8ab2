import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start';
import { call, makeTestArtifacts, type TestArtifacts } from './test-artifacts';

let dir: string;
let artifacts: TestArtifacts;
let db: string;
let server: RunningServer;

const start = () => startServer({ artifacts: [artifacts.ials, artifacts.ensemble], port: 0, host: '127.0.0.1', db });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-listen-'));
  artifacts = await makeTestArtifacts(dir);
  db = join(dir, 'listens.sqlite');
  server = await start();
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('POST /listen', () => {
  let before: string[];
  let listened: string;
  let after: string[];

  it('is acknowledged with the stored listen, and the user’s next /recommend includes it (iALS fold-in)', async () => {
    before = ids((await call(server.url, 'GET', '/recommend?user=u12&k=10')).body.items);
    listened = before[0];
    const r = await call(server.url, 'POST', '/listen', { json: { user: 'u12', item: listened } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: 'u12', item: listened, model: 'ials', newUser: false });
    expect(r.body.historyLength).toBeGreaterThan(1);
    expect(Math.abs(r.body.at - Date.now())).toBeLessThan(60_000);
    after = ids((await call(server.url, 'GET', '/recommend?user=u12&k=10')).body.items);
    // the listened item is now seen, and the re-solved user factors move the rest of the list
    expect(after).not.toContain(listened);
    expect(after).not.toEqual(before.slice(1));
    expect((await call(server.url, 'GET', '/health')).body.store.listens).toBe(1);
  });

  it('an unknown user id becomes a user on their first listen, on each model', async () => {
    expect((await call(server.url, 'GET', '/recommend?user=alice')).status).toBe(404);
    const first = await call(server.url, 'POST', '/listen', { json: { user: 'alice', item: 't5' } });
    expect(first.body).toMatchObject({ newUser: true, historyLength: 1, model: 'ials' });
    const second = await call(server.url, 'POST', '/listen', { json: { user: 'alice', item: 't9' } });
    expect(second.body).toMatchObject({ newUser: false, historyLength: 2 });
    const recs = await call(server.url, 'GET', '/recommend?user=alice&k=20');
    expect(recs.status).toBe(200);
    expect(ids(recs.body.items)).not.toContain('t5');
    expect(ids(recs.body.items)).not.toContain('t9');
    // ensemble: the liked-items path; alice is a user there only once she listens there
    expect((await call(server.url, 'GET', '/recommend?user=alice&model=ensemble')).status).toBe(404);
    const onEnsemble = await call(server.url, 'POST', '/listen', { json: { user: 'alice', item: 't5', model: 'ensemble' } });
    expect(onEnsemble.body).toMatchObject({ newUser: true, model: 'ensemble' });
    const ens = await call(server.url, 'GET', '/recommend?user=alice&model=ensemble&k=10');
    expect(ens.status).toBe(200);
    expect(ids(ens.body.items)).not.toContain('t5');
  });

  it('after a restart on the same database, every listen is replayed: same users, same lists', async () => {
    const aliceBefore = (await call(server.url, 'GET', '/recommend?user=alice&k=10')).body.items;
    const aliceEnsembleBefore = (await call(server.url, 'GET', '/recommend?user=alice&k=10&model=ensemble')).body.items;
    const listens = (await call(server.url, 'GET', '/health')).body.store.listens;
    expect(listens).toBe(4);
    await server.close();
    server = await start();
    expect(server.replay).toEqual({ replayed: 4, otherModels: 0, refused: 0 });
    expect((await call(server.url, 'GET', '/health')).body.store.listens).toBe(4);
    expect(ids((await call(server.url, 'GET', '/recommend?user=u12&k=10')).body.items)).toEqual(after);
    expect((await call(server.url, 'GET', '/recommend?user=alice&k=10')).body.items).toEqual(aliceBefore);
    expect((await call(server.url, 'GET', '/recommend?user=alice&k=10&model=ensemble')).body.items).toEqual(aliceEnsembleBefore);
  });

  it('a restart without one of the artifacts skips its listens and says how many', async () => {
    await server.close();
    server = await startServer({ artifacts: [artifacts.ensemble], port: 0, host: '127.0.0.1', db });
    expect(server.replay).toEqual({ replayed: 1, otherModels: 3, refused: 0 });
    expect((await call(server.url, 'GET', '/recommend?user=alice')).body.model).toBe('ensemble');
  });
});
