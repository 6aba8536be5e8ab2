import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdIndex, Interactions, Rng } from '@musicrec/core';
import type { Catalog } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from './evaluate-model';

// Real data: HetRec 2011 Last.fm 2K (1,892 users × 17,632 artists), read straight from the .dat files.
const dataDir = process.env.MUSICREC_DATA_DIR ?? fileURLToPath(new URL('../../../../../shared/datasets/', import.meta.url));
const lastfmDir = join(dataDir, 'hetrec2011-lastfm-2k');

function rowsOf(file: string): string[][] {
  return readFileSync(join(lastfmDir, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

function loadLastfm(): { interactions: Interactions; catalog: Catalog } {
  const users = new IdIndex();
  const items = new IdIndex();
  const u: number[] = [];
  const i: number[] = [];
  for (const [user, artist] of rowsOf('user_artists.dat')) {
    u.push(users.add(user));
    i.push(items.add(artist));
  }
  const interactions = Interactions.fromTriples(u, i, null, users.ids, items.ids);
  // tag assignments of known artists, as an item × tag CSR of counts
  const tags = new IdIndex();
  const perItem: Map<number, number>[] = items.ids.map(() => new Map());
  for (const [, artist, tag] of rowsOf('user_taggedartists.dat')) {
    const item = items.get(artist);
    if (item === undefined) continue;
    const t = tags.add(tag);
    perItem[item].set(t, (perItem[item].get(t) ?? 0) + 1);
  }
  const indptr = new Int32Array(items.size + 1);
  const tagIndices: number[] = [];
  const counts: number[] = [];
  perItem.forEach((m, item) => {
    for (const [t, c] of m) {
      tagIndices.push(t);
      counts.push(c);
    }
    indptr[item + 1] = tagIndices.length;
  });
  const catalog: Catalog = {
    itemIds: items.ids,
    tags: { indptr, tagIndices: Int32Array.from(tagIndices), counts: Float32Array.from(counts), tagNames: tags.ids },
  };
  return { interactions, catalog };
}

/** Per user: shuffle with the seed, round(0.2·n) items (at least 1 when n ≥ 2) to test. */
function holdout(m: Interactions, seed: number): { fullTrain: Interactions; test: Interactions } {
  const rng = new Rng(seed);
  const inTest = new Uint8Array(m.nnz);
  for (let user = 0; user < m.nUsers; user++) {
    const n = m.rowLength(user);
    const nTest = n >= 2 ? Math.max(1, Math.round(0.2 * n)) : 0;
    const positions = rng.shuffle(Int32Array.from({ length: n }, (_, j) => m.indptr[user] + j));
    for (let j = 0; j < nTest; j++) inTest[positions[j]] = 1;
  }
  return { fullTrain: m.filterEntries((_, k) => inTest[k] === 0), test: m.filterEntries((_, k) => inTest[k] === 1) };
}

describe.skipIf(!existsSync(join(lastfmDir, 'user_artists.dat')))('evaluateModel on Last.fm 2K', () => {
  it('popularity beats random scores by a wide margin; random lists are more novel and cover more', () => {
    const { interactions, catalog } = loadLastfm();
    expect([interactions.nUsers, interactions.nItems, interactions.nnz]).toEqual([1892, 17632, 92834]);
    const split = holdout(interactions, 42);
    const counts = split.fullTrain.itemCounts();
    const nItems = interactions.nItems;
    const popularity = {
      scoreUsers(users: Int32Array, out = new Float32Array(users.length * nItems)): Float32Array {
        for (let b = 0; b < users.length; b++) for (let i = 0; i < nItems; i++) out[b * nItems + i] = counts[i];
        return out;
      },
    };
    const rng = new Rng(7);
    const random = {
      scoreUsers(users: Int32Array, out = new Float32Array(users.length * nItems)): Float32Array {
        for (let j = 0; j < out.length; j++) out[j] = rng.next();
        return out;
      },
    };
    const pop = evaluateModel(popularity, split, { catalog });
    const rnd = evaluateModel(random, split, { catalog });

    expect(pop.ranking.nUsersEvaluated).toBe(pop.users.length);
    expect(pop.users.length).toBeGreaterThan(1850);
    for (const r of [pop, rnd]) {
      for (const m of Object.values(r.ranking.perK)) for (const v of Object.values(m)) expect(v >= 0 && v <= 1).toBe(true);
    }
    // a random ranking over 17k artists almost never hits; popularity hits for most users
    expect(pop.ranking.perK['10'].ndcg).toBeGreaterThan(0.05);
    expect(rnd.ranking.perK['10'].ndcg).toBeLessThan(0.01);
    expect(pop.ranking.perK['10'].hitRate).toBeGreaterThan(0.3);
    // the same ranking cut deeper finds at least as many test items
    expect(pop.ranking.perK['20'].recall).toBeGreaterThanOrEqual(pop.ranking.perK['10'].recall);
    expect(pop.beyond.coverage).toBeLessThan(0.01);
    expect(rnd.beyond.coverage).toBeGreaterThan(0.5);
    expect(rnd.beyond.novelty).toBeGreaterThan(pop.beyond.novelty);
    // popular artists share tags (rock, pop, ...) far more than random ones
    expect(pop.beyond.ilsSource).toBe('tags');
    expect(pop.beyond.ils!).toBeGreaterThan(rnd.beyond.ils!);
  });
});
