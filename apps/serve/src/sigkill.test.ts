import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_FILES } from '@musicrec/retrieval';
import { spawnServer } from './server-process';
import { SqliteInteractionStore } from './store/sqlite-store';
import { makeTestArtifacts } from './test-artifacts';

/** Listens offered, in-flight at once, and the acknowledged count at which the process is killed. */
const TOTAL = 2000;
const CONCURRENCY = 8;
const KILL_AT = 1000;

let dir: string;
let artifact: string;
let items: string[];
const children: ChildProcess[] = [];

async function start(db: string) {
  const server = await spawnServer(['--artifact', artifact, '--port', '0', '--db', db, '--log', 'off']);
  children.push(server.child);
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-sigkill-'));
  artifact = (await makeTestArtifacts(dir)).ials;
  items = JSON.parse(await readFile(join(artifact, ARTIFACT_FILES.items), 'utf8')) as string[];
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('SIGKILL mid-stream', () => {
  it('loses no acknowledged listen: each is in the store after the kill and replayed by the restarted server', async () => {
    const db = join(dir, 'listens.sqlite');
    const { child, url, exited } = await start(db);
    const acked: { user: string; item: string }[] = [];
    let sent = 0;
    let failed = 0;
    let killed = false;
    const worker = async () => {
      while (sent < TOTAL) {
        const n = sent++;
        const listen = { user: `k-${n}`, item: items[n % items.length] };
        try {
          const res = await fetch(`${url}/listen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(listen) });
          const body = (await res.json()) as { user: string; item: string };
          expect(res.status).toBe(200);
          expect(body).toMatchObject(listen);
          acked.push(listen);
        } catch (e) {
          if (!killed) throw e;
          failed++;
          return; // the server is gone: this stream ends
        }
        if (acked.length >= KILL_AT && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(await exited()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(sent).toBeGreaterThanOrEqual(KILL_AT);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AT);
    // killed mid-stream: requests were still in flight and got no answer
    expect(failed).toBeGreaterThan(0);

    // the store as the killed process left it
    const store = new SqliteInteractionStore(db);
    const stored = new Map<string, string>();
    for await (const l of store.replay()) stored.set(l.user, l.item);
    const count = await store.count();
    await store.close();
    const lost = acked.filter((l) => stored.get(l.user) !== l.item);
    expect(lost).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(acked.length);
    // at most the acknowledged ones plus those in flight at the kill
    expect(count).toBeLessThanOrEqual(acked.length + CONCURRENCY);
    expect(stored.size).toBe(count);

    // restarted on the same database: all replayed, an acknowledged new user is a user again
    const again = await start(db);
    const health = (await (await fetch(`${again.url}/health`)).json()) as { store: { listens: number } };
    expect(health.store.listens).toBe(count);
    const last = acked[acked.length - 1];
    const recs = await fetch(`${again.url}/recommend?user=${last.user}&k=5`);
    expect(recs.status).toBe(200);
    const { items: recommended } = (await recs.json()) as { items: { id: string }[] };
    expect(recommended.map((r) => r.id)).not.toContain(last.item);
    again.child.kill('SIGTERM');
    expect((await again.exited()).code).toBe(0);
  });
});
