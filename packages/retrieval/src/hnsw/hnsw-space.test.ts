import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, MODEL_FILE, Rng } from '@musicrec/core';
import { HnswIndex } from './hnsw-index';
import { hnswTopK, measureRecall } from './recall';
import type { HnswSpace } from './hnsw-config';

// Six 2-d items with very unequal norms. For q = (1, 0) the nearest item in L2 is item 0
// (distance 0) but the largest inner product is item 5 (4): plain nearest-neighbour search
// answers the wrong question, the MIPS transform and the 'ip' space must not.
const items = Float32Array.of(1, 0, 0, 2, 3, 3, -2, 1, 0.5, 0.5, 4, -1);
const queries: { q: [number, number]; top3: number[]; scores: number[] }[] = [
  { q: [1, 0], top3: [5, 2, 0], scores: [4, 3, 1] },
  { q: [0, 1], top3: [2, 1, 3], scores: [3, 2, 1] },
  { q: [-1, 0.5], top3: [3, 1, 4], scores: [2.5, 1, -0.25] },
];
const spaces: HnswSpace[] = ['ip', 'mips-l2'];

describe.each(spaces)('HnswIndex space %s', (space) => {
  // six items, ef 10: the graph search visits every item, so the answer must be exact
  const index = new HnswIndex({ space, efSearch: 10, seed: 3 }).build(items, 2);

  it('returns the exact MIPS answer on a hand-made set, scores = the inner products', () => {
    for (const { q, top3, scores } of queries) {
      const hits = index.search(Float32Array.from(q), 3);
      expect(Array.from(hits.items)).toEqual(top3);
      for (let j = 0; j < 3; j++) expect(hits.scores[j]).toBeCloseTo(scores[j], 6);
    }
  });

  it('leaves out seen items and keeps the next best in order', () => {
    const hits = index.search(Float32Array.of(1, 0), 3, Int32Array.of(2, 5));
    // dots 1 (item 0), 0.5 (item 4), 0 (item 1)
    expect(Array.from(hits.items)).toEqual([0, 4, 1]);
    expect(Array.from(hits.scores)).toEqual([1, 0.5, 0]);
  });

  it('save → load keeps the space and answers the same, scores included', async () => {
    const dir = await mkdtemp(join(tmpdir(), `hnsw-${space}-`));
    try {
      await index.save(dir);
      const loaded = await HnswIndex.load(dir);
      expect(loaded.config.space).toBe(space);
      expect(loaded.dim).toBe(2);
      for (const { q } of queries) {
        const a = index.search(Float32Array.from(q), 4, Int32Array.of(1));
        const b = loaded.search(Float32Array.from(q), 4, Int32Array.of(1));
        expect(b.items).toEqual(a.items);
        expect(b.scores).toEqual(a.scores);
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe("HnswIndex space 'mips-l2' on embeddings with unequal norms", () => {
  const dim = 16;
  const n = 3000;
  const rng = new Rng(11);
  const vectors = rng.normalArray(n * dim, 1);
  // norms spread over two orders of magnitude, as popular and rare items' factors are
  for (let i = 0; i < n; i++) {
    const scale = Math.exp(2 * rng.next() - 1) ** 2;
    for (let f = 0; f < dim; f++) vectors[i * dim + f] *= scale;
  }
  const qs = rng.normalArray(50 * dim, 1);
  // the transformed items crowd near one pole of the sphere of radius M, so this needs a
  // larger ef than the 'ip' space (~.92 at 200, the bench's hnsw-tradeoff report has the curves)
  const index = new HnswIndex({ space: 'mips-l2', efSearch: 1000, seed: 5 }).build(vectors, dim);

  it('finds the exact top-10 with a large ef (recall ≥ .95) and reports true inner products best first', () => {
    expect(measureRecall(index, qs, vectors, 10)).toBeGreaterThanOrEqual(0.95);
    const approx = hnswTopK(index, qs, 10);
    for (let j = 0; j < approx.items.length; j++) {
      const item = approx.items[j];
      const q = Math.floor(j / 10);
      let s = 0;
      for (let f = 0; f < dim; f++) s += qs[q * dim + f] * vectors[item * dim + f];
      expect(approx.scores[j]).toBeCloseTo(s, 4);
      if (j % 10 > 0) expect(approx.scores[j]).toBeLessThanOrEqual(approx.scores[j - 1]);
    }
  });

  it('does not keep a reference to the caller\'s array (the caller may reuse it)', () => {
    const copy = vectors.slice();
    const own = new HnswIndex({ space: 'mips-l2', efSearch: 50, seed: 5 }).build(copy, dim);
    const before = own.search(qs.subarray(0, dim), 5);
    const items5 = Array.from(before.items);
    const scores5 = Array.from(before.scores);
    copy.fill(0);
    const after = own.search(qs.subarray(0, dim), 5);
    expect(Array.from(after.items)).toEqual(items5);
    expect(Array.from(after.scores)).toEqual(scores5);
  });
});

describe('HnswIndex space option', () => {
  it('rejects an unknown space', () => {
    expect(() => new HnswIndex({ space: 'l2' as never })).toThrow(ConfigError);
    expect(() => new HnswIndex({ space: 'l2' as never })).toThrow(/space must be one of ip, mips-l2/);
  });

  it("loads an index saved before the option existed as 'ip'", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hnsw-old-'));
    try {
      const ip = new HnswIndex({ space: 'ip', efSearch: 10 }).build(items, 2);
      await ip.save(dir);
      const file = join(dir, MODEL_FILE);
      const doc = JSON.parse(await readFile(file, 'utf8'));
      delete doc.meta.config.space;
      await writeFile(file, JSON.stringify(doc));
      const loaded = await HnswIndex.load(dir);
      expect(loaded.config.space).toBe('ip');
      expect(Array.from(loaded.search(Float32Array.of(1, 0), 3).items)).toEqual([5, 2, 0]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
