import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, Interactions, Rng } from '@musicrec/core';
import { exactTopK } from '../exact/exact-top-k';
import { HnswIndex } from './hnsw-index';
import { hnswTopK, measureRecall, recallAtK } from './recall';

const dim = 32;
const nItems = 2000;
const rng = new Rng(2024);
const items = rng.normalArray(nItems * dim, 1);
const queries = rng.normalArray(100 * dim, 1);

describe('HnswIndex', () => {
  const index = new HnswIndex({ efSearch: 100, seed: 7 }).build(items, dim);

  it('recall@10 ≥ 0.95 against exact search on 2k × 32 random vectors (efSearch 100)', () => {
    const recall = measureRecall(index, queries, items, 10);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeLessThanOrEqual(1);
  });

  it('is deterministic for a seed: a second build answers the same', () => {
    const again = new HnswIndex({ efSearch: 100, seed: 7 }).build(items, dim);
    expect(hnswTopK(again, queries, 10).items).toEqual(hnswTopK(index, queries, 10).items);
  });

  it('reports inner products as scores and never returns excluded items', () => {
    const q = queries.subarray(0, dim);
    const exact = exactTopK(q, items, dim, 5);
    const seen = Int32Array.from(exact.items.subarray(0, 3)).sort();
    const hits = index.search(q, 5, seen);
    expect(hits.count).toBe(5);
    for (const i of hits.items) expect(seen.includes(i)).toBe(false);
    // the best unseen items are exact ranks 4 and 5
    expect(Array.from(hits.items.subarray(0, 2))).toEqual(Array.from(exact.items.subarray(3, 5)));
    expect(hits.scores[0]).toBeCloseTo(exact.scores[3], 4);
  });

  it('over-fetches past a long seen list and still fills k', () => {
    const q = queries.subarray(dim, 2 * dim);
    const seen = Int32Array.from(exactTopK(q, items, dim, 300).items).sort();
    const hits = index.search(q, 10, seen);
    expect(hits.count).toBe(10);
    for (const i of hits.items) expect(seen.includes(i)).toBe(false);
  });

  it('setEfSearch trades recall without a rebuild: a larger ef never finds fewer true neighbours here', () => {
    const small = new HnswIndex({ efSearch: 10, seed: 7 }).build(items, dim);
    const low = measureRecall(small, queries, items, 10);
    small.setEfSearch(200);
    expect(small.config.efSearch).toBe(200);
    expect(measureRecall(small, queries, items, 10)).toBeGreaterThanOrEqual(low);
    expect(() => small.setEfSearch(0)).toThrow(/efSearch must be a positive integer/);
  });

  it('save → load answers the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hnsw-'));
    try {
      await index.save(dir);
      const loaded = await HnswIndex.load(dir);
      expect(loaded.count).toBe(nItems);
      expect(loaded.config).toEqual(index.config);
      expect(hnswTopK(loaded, queries, 10).items).toEqual(hnswTopK(index, queries, 10).items);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('with users and exclude, hnswTopK leaves out each user\'s items', () => {
    const seen = Interactions.fromTriples([0, 1], [5, 7], null, ['u0', 'u1'], Array.from({ length: nItems }, (_, i) => `i${i}`));
    const two = queries.subarray(0, 2 * dim);
    const r = hnswTopK(index, two, 10, { exclude: seen, users: Int32Array.of(1, 0) });
    expect(r.items.subarray(0, 10).includes(7)).toBe(false);
    expect(r.items.subarray(10, 20).includes(5)).toBe(false);
  });

  it('rejects bad settings and use before build, and a missing directory on load', async () => {
    expect(() => new HnswIndex({ m: 0 })).toThrow(/m must be a positive integer/);
    expect(() => new HnswIndex({ efsearch: 5 } as never)).toThrow(ConfigError);
    expect(() => new HnswIndex().search(new Float32Array(dim), 1)).toThrow(/build\(\) or load\(\)/);
    expect(() => index.search(new Float32Array(3), 1)).toThrow(/query has 3 values, index dim is 32/);
    await expect(HnswIndex.load(join(tmpdir(), 'no-such-hnsw-dir'))).rejects.toThrow(DataError);
  });
});

describe('recallAtK', () => {
  it('hand-computed: 2 of 3 and 1 of 1 (ignoring -1 slots) → 5/6', () => {
    const exact = Int32Array.of(1, 2, 3, 4, -1, -1);
    const approx = Int32Array.of(3, 1, 9, 8, 4, 7);
    expect(recallAtK(approx, exact, 3)).toBeCloseTo((2 / 3 + 1) / 2, 12);
  });
});
