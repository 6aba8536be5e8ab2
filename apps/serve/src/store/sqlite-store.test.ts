import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Listen } from '@musicrec/retrieval';
import { SqliteInteractionStore } from './sqlite-store';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'musicrec-serve-store-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function all(store: SqliteInteractionStore): Promise<Listen[]> {
  const out: Listen[] = [];
  for await (const l of store.replay()) out.push(l);
  return out;
}

const listens: Listen[] = [
  { user: 'ana', item: 't1', model: 'ials', at: 1000 },
  { user: 'bo', item: 't2', model: 'ials', at: 1001 },
  { user: 'ana', item: 't3', model: 'ensemble', at: 1002 },
  { user: 'ana', item: 't4', model: 'ials', at: 1003 },
];

describe('SqliteInteractionStore', () => {
  it('appends, counts, replays in commit order and keeps one history per (user, model)', async () => {
    const store = new SqliteInteractionStore(join(dir, 'a', 'nested', 'listens.sqlite'));
    for (const l of listens) await store.append(l);
    expect(await store.count()).toBe(4);
    expect(await all(store)).toEqual(listens);
    expect(await store.history('ana', 'ials')).toEqual([listens[0], listens[3]]);
    expect(await store.history('ana', 'ensemble')).toEqual([listens[2]]);
    expect(await store.history('nobody', 'ials')).toEqual([]);
    await store.close();
  });

  it('reopened on the same file, holds what was committed', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = new SqliteInteractionStore(path);
    for (const l of listens) await first.append(l);
    await first.close();
    const second = new SqliteInteractionStore(path);
    expect(await all(second)).toEqual(listens);
    await second.append({ user: 'cy', item: 't9', model: 'ials', at: 2000 });
    expect(await second.count()).toBe(5);
    await second.close();
  });

  it('runs in WAL mode with synchronous FULL by default, NORMAL when asked', async () => {
    const full = new SqliteInteractionStore(join(dir, 'full.sqlite'));
    expect(full.synchronousLevel).toBe(2);
    await full.append(listens[0]);
    await full.close();
    const normal = new SqliteInteractionStore(join(dir, 'normal.sqlite'), { synchronous: 'normal' });
    expect(normal.synchronousLevel).toBe(1);
    await normal.close();
    const raw = new Database(join(dir, 'full.sqlite'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('an append is visible to another connection as soon as it resolves (committed, not buffered)', async () => {
    const path = join(dir, 'visible.sqlite');
    const store = new SqliteInteractionStore(path);
    const reader = new Database(path, { readonly: true });
    const n = () => (reader.prepare('SELECT count(*) AS n FROM listens').get() as { n: number }).n;
    expect(n()).toBe(0);
    await store.append(listens[0]);
    expect(n()).toBe(1);
    await store.append(listens[1]);
    expect(n()).toBe(2);
    reader.close();
    await store.close();
  });
});
