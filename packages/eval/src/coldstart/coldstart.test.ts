import { ConfigError, Interactions } from '@musicrec/core';
import type { Catalog, Split } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { int32, interactionsFromRows, listsToTopK } from '../testing/fixtures';
import { coldShareAtK } from './cold-start-metrics';
import { coldItemSplit, itemsWithContent } from './item-cold-start';
import { renderColdStartMarkdown } from './render-cold-start';
import type { ColdStartReport } from './types';
import { validateColdStartReport } from './validate-cold-start-report';
import { cutUserHistories, pickColdStartUsers } from './user-cold-start';

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const entries = (m: Interactions): string[] => {
  const out: string[] = [];
  for (let u = 0; u < m.nUsers; u++) for (const i of m.itemsOf(u)) out.push(`${u}:${i}`);
  return out.sort();
};

describe('pickColdStartUsers', () => {
  // history lengths 6, 5, 7, 8, 10; u2 has no test item
  const train = interactionsFromRows([range(0, 6), range(0, 5), range(0, 7), range(0, 8), range(0, 10)], 12);
  const test = interactionsFromRows([[10], [10], [], [11], [10, 11]], 12);

  it('takes users with ≥ minTrainItems training items and a test item', () => {
    expect(Array.from(pickColdStartUsers(train, test, { seed: 1 }))).toEqual([0, 3, 4]);
    expect(Array.from(pickColdStartUsers(train, test, { seed: 1, minTrainItems: 8 }))).toEqual([3, 4]);
  });

  it('samples at most maxUsers, seeded and ascending', () => {
    const a = pickColdStartUsers(train, test, { seed: 9, maxUsers: 2 });
    expect(a.length).toBe(2);
    expect(a[0]).toBeLessThan(a[1]);
    for (const u of a) expect([0, 3, 4]).toContain(u);
    expect(Array.from(pickColdStartUsers(train, test, { seed: 9, maxUsers: 2 }))).toEqual(Array.from(a));
    expect(() => pickColdStartUsers(train, test, { seed: 9, maxUsers: 0 })).toThrow(ConfigError);
  });
});

describe('cutUserHistories', () => {
  const rows = [range(0, 6), range(2, 9), range(0, 12), [1, 4]];
  const values = rows.flatMap((r, u) => r.map((i) => 10 * u + i));
  const train = Interactions.fromTriples(
    rows.flatMap((r, u) => r.map(() => u)),
    rows.flat(),
    values,
    rows.map((_, u) => `u${u}`),
    range(0, 12).map((i) => `i${i}`),
  );
  const users = int32([0, 2]);

  it('keeps exactly n of each listed user\'s items, a subset with their values; others unchanged', () => {
    for (const n of [1, 3, 5]) {
      const cut = cutUserHistories(train, users, n, 42);
      expect([cut.rowLength(0), cut.rowLength(2)]).toEqual([n, n]);
      expect(Array.from(cut.itemsOf(1))).toEqual(rows[1]);
      expect(Array.from(cut.itemsOf(3))).toEqual(rows[3]);
      for (const u of [0, 2]) {
        cut.itemsOf(u).forEach((i, j) => {
          expect(rows[u]).toContain(i);
          expect(cut.valuesOf(u)[j]).toBe(10 * u + i);
        });
      }
      expect(cut.nnz).toBe(train.nnz - (6 - n) - (12 - n));
    }
  });

  it('nests the cuts (1 ⊂ 3 ⊂ 5) and repeats with the same seed', () => {
    const c1 = cutUserHistories(train, users, 1, 42);
    const c3 = cutUserHistories(train, users, 3, 42);
    const c5 = cutUserHistories(train, users, 5, 42);
    for (const u of [0, 2]) {
      for (const i of c1.itemsOf(u)) expect(Array.from(c3.itemsOf(u))).toContain(i);
      for (const i of c3.itemsOf(u)) expect(Array.from(c5.itemsOf(u))).toContain(i);
    }
    expect(entries(cutUserHistories(train, users, 3, 42))).toEqual(entries(c3));
  });

  it('rejects a negative keep and unknown users', () => {
    expect(() => cutUserHistories(train, users, -1, 1)).toThrow(ConfigError);
    expect(() => cutUserHistories(train, int32([9]), 1, 1)).toThrow(/user index 9/);
  });
});

describe('coldItemSplit', () => {
  // 10 items; 8 have content (0-7); u0..u3
  const train = interactionsFromRows([[0, 1, 2], [1, 3, 5], [0, 4, 6, 8], [2, 7]], 10);
  const validation = interactionsFromRows([[3], [7], [], [9]], 10);
  const test = interactionsFromRows([[4, 5], [0], [1, 9], [3]], 10);
  const fullTrain = interactionsFromRows([[0, 1, 2, 3], [1, 3, 5, 7], [0, 4, 6, 8], [2, 7, 9]], 10);
  const split: Split = { protocol: 'holdout', seed: 1, train, validation, fullTrain, test };
  const content = Uint8Array.from(range(0, 10), (i) => (i < 8 ? 1 : 0));
  const result = coldItemSplit(split, content, { fraction: 0.25, seed: 3 });
  const cold = Array.from(result.coldItems);

  it('makes a seeded fraction of the items with content cold', () => {
    expect(cold.length).toBe(2); // round(0.25 × 8)
    for (const i of cold) expect(i).toBeLessThan(8);
    expect(Array.from(coldItemSplit(split, content, { fraction: 0.25, seed: 3 }).coldItems)).toEqual(cold);
  });

  it('cold items have no training interactions; everything else is unchanged', () => {
    const s = result.split;
    for (const m of [s.train, s.validation, s.fullTrain]) for (const i of m.indices) expect(cold).not.toContain(i);
    const warm = (m: Interactions): string[] => entries(m).filter((e) => !cold.includes(Number(e.split(':')[1])));
    expect(entries(s.train)).toEqual(warm(train));
    expect(entries(s.validation)).toEqual(warm(validation));
    expect(entries(s.fullTrain)).toEqual(warm(fullTrain));
  });

  it('moves the cold interactions into test, leaks nothing from test into train', () => {
    const s = result.split;
    const movedFromTrain = entries(fullTrain).filter((e) => cold.includes(Number(e.split(':')[1])));
    expect(entries(s.test)).toEqual([...entries(test), ...movedFromTrain].sort());
    expect(s.fullTrain.nnz + s.test.nnz).toBe(fullTrain.nnz + test.nnz);
    for (const e of entries(s.fullTrain)) expect(entries(fullTrain)).toContain(e);
    for (let u = 0; u < 4; u++) for (const i of s.test.itemsOf(u)) expect(s.fullTrain.has(u, i)).toBe(false);
    expect(entries(result.coldTest)).toEqual(entries(s.test).filter((e) => cold.includes(Number(e.split(':')[1]))));
  });

  it('rejects a bad fraction and a catalogue without content', () => {
    expect(() => coldItemSplit(split, content, { fraction: 0, seed: 1 })).toThrow(ConfigError);
    expect(() => coldItemSplit(split, new Uint8Array(10), { seed: 1 })).toThrow(/no item has content/);
  });
});

describe('itemsWithContent', () => {
  it('flags items with an audio profile or a tag', () => {
    const catalog: Catalog = {
      itemIds: ['a', 'b', 'c', 'd'],
      audio: { columns: ['energy'], values: Float32Array.of(1, NaN, NaN, NaN), present: Uint8Array.of(1, 0, 0, 0) },
      tags: { indptr: Int32Array.of(0, 0, 0, 2, 2), tagIndices: Int32Array.of(0, 1), counts: Float32Array.of(1, 1), tagNames: ['x', 'y'] },
    };
    expect(Array.from(itemsWithContent(catalog, 4))).toEqual([1, 0, 1, 0]);
    expect(Array.from(itemsWithContent({ itemIds: ['a', 'b'] }, 2))).toEqual([0, 0]);
  });
});

describe('coldShareAtK', () => {
  it('is the share of top-k slots holding cold items', () => {
    const recs = listsToTopK([[0, 5, 6], [5, 1]], 3);
    const isCold = Uint8Array.of(0, 0, 0, 0, 0, 1, 1);
    expect(coldShareAtK(recs, 2, isCold)).toBe(2 / 4); // [0, 5] and [5, 1]
    expect(coldShareAtK(recs, 3, isCold)).toBe(3 / 6);
  });
});

describe('renderColdStartMarkdown', () => {
  const m = (ndcg10: number) => ({ users: 300, ndcg10, hitRate10: ndcg10 * 2, recall20: ndcg10 * 3, coverage: 0.1 });
  const report: ColdStartReport = {
    schema: 1,
    kind: 'coldstart',
    dataset: 'lastfm-2k',
    protocol: 'holdout',
    seed: 42,
    createdAt: '2025-01-01T00:00:00.000Z',
    machine: { cpus: 2, node: 'v20', gpu: null },
    userColdStart: { minTrainItems: 6, maxUsers: 300, users: 300, levels: [1, 3, 5] },
    itemColdStart: { fraction: 0.1, contentItems: 1000, coldItems: 100, users: 250 },
    rows: [
      { model: 'popularity', params: {}, paramsFrom: 'report', userColdStart: { '1': m(0.1), '3': m(0.1), '5': m(0.1), full: m(0.1) }, itemColdStart: { ...m(0), coldShare10: 0 }, fitSeconds: 0.1 },
      { model: 'ials', params: {}, paramsFrom: 'report', userColdStart: { '1': m(0.12), '3': m(0.2), '5': m(0.25), full: m(0.3) }, itemColdStart: { ...m(0.01), coldShare10: 0.02 }, fitSeconds: 3 },
    ],
    failures: [{ model: 'bpr', error: 'ModelFitError: NaN\nstack' }],
  };

  it('tables both conditions, best first, and lists failures', () => {
    const md = renderColdStartMarkdown(report);
    expect(md).toContain('| model | NDCG@10 1 | NDCG@10 3 | NDCG@10 5 | NDCG@10 full | HR@10 1 | HR@10 3 | HR@10 5 | HR@10 full | params from |');
    expect(md).toContain('| ials | 0.1200 | 0.2000 | 0.2500 | 0.3000 | 0.2400 | 0.4000 | 0.5000 | 0.6000 | report |');
    expect(md.indexOf('| ials | 0.1200')).toBeLessThan(md.indexOf('| popularity | 0.1000'));
    expect(md).toContain('| ials | 0.0100 | 0.0200 | 0.0300 | 0.0200 | 0.1000 |');
    expect(md).toContain('- bpr: ModelFitError: NaN');
    expect(md).not.toContain('stack');
  });

  it('says when item cold start was not run', () => {
    expect(renderColdStartMarkdown({ ...report, itemColdStart: null })).toContain('_Not run: the catalogue has no item content');
  });
});

describe('validateColdStartReport', () => {
  const m = { users: 300, ndcg10: 0.1, hitRate10: 0.2, recall20: 0.3, coverage: 0.1 };
  const report: ColdStartReport = {
    schema: 1,
    kind: 'coldstart',
    dataset: 'spotify-playlists',
    protocol: 'holdout',
    seed: 42,
    createdAt: '2025-01-01T00:00:00.000Z',
    machine: { cpus: 2, node: 'v20', gpu: null },
    userColdStart: { minTrainItems: 6, maxUsers: 300, users: 300, levels: [1, 3, 5] },
    itemColdStart: null,
    rows: [{ model: 'ials', params: { factors: 8 }, paramsFrom: 'report', userColdStart: { '1': m, full: m }, itemColdStart: { ...m, coldShare10: 0 }, fitSeconds: 2 }],
  };
  const json = (): Record<string, any> => JSON.parse(JSON.stringify(report));

  it('accepts a report unchanged', () => {
    expect(validateColdStartReport(json())).toEqual(report);
  });

  it('names the file and the path of the first problem', () => {
    const bad = json();
    bad.rows[0].userColdStart.full.ndcg10 = null;
    expect(() => validateColdStartReport(bad, 'c.json')).toThrow('c.json, field "rows[0].userColdStart.full.ndcg10": expected number, got null');
    const badFrom = json();
    badFrom.rows[0].paramsFrom = 'guess';
    expect(() => validateColdStartReport(badFrom)).toThrow(/rows\[0\]\.paramsFrom.*expected one of report, registry/);
    const leaderboard = json();
    delete leaderboard.kind;
    expect(() => validateColdStartReport(leaderboard)).toThrow('field "kind": expected "coldstart", got nothing (missing)');
  });
});
