import { describe, expect, it } from 'vitest';
import { ConfigError, Interactions, Rng } from '@musicrec/core';
import { exactTopK } from './exact-top-k';

describe('exactTopK', () => {
  // items: [1,0], [0,1], [1,1], [-1,0]
  const items = Float32Array.of(1, 0, 0, 1, 1, 1, -1, 0);

  it('hand-computed: q0 = [2, 1] → items 2 (3), 0 (2), 1 (1); ties go to the lower index', () => {
    const r = exactTopK(Float32Array.of(2, 1, 0, 0), items, 2, 3);
    expect(Array.from(r.items)).toEqual([2, 0, 1, 0, 1, 2]);
    expect(Array.from(r.scores)).toEqual([3, 2, 1, 0, 0, 0]);
  });

  it('excludes each user\'s seen items, looked up through users[]', () => {
    const seen = Interactions.fromTriples([0, 1], [2, 0], null, ['a', 'b'], ['i0', 'i1', 'i2', 'i3']);
    // query 0 is user 1 (seen item 0), query 1 is user 0 (seen item 2)
    const r = exactTopK(Float32Array.of(2, 1, 2, 1), items, 2, 2, { exclude: seen, users: Int32Array.of(1, 0) });
    expect(Array.from(r.items)).toEqual([2, 1, 0, 1]);
  });

  it('equals a full sort on random data, for any block size', () => {
    const rng = new Rng(3);
    const dim = 7, nItems = 101, nQueries = 13, k = 9;
    const Q = rng.normalArray(nQueries * dim, 1);
    const V = rng.normalArray(nItems * dim, 1);
    const a = exactTopK(Q, V, dim, k, { blockSize: 4 });
    const b = exactTopK(Q, V, dim, k, { blockSize: 64 });
    // blockSize 1 takes the one-query path (its own unrolled loop, dim 7 exercises the remainder)
    const c = exactTopK(Q, V, dim, k, { blockSize: 1 });
    expect(a.items).toEqual(b.items);
    expect(c.items).toEqual(b.items);
    for (let j = 0; j < c.scores.length; j++) expect(c.scores[j]).toBeCloseTo(b.scores[j], 5);
    for (let q = 0; q < nQueries; q++) {
      const s = Array.from({ length: nItems }, (_, i) => {
        let dot = 0;
        for (let f = 0; f < dim; f++) dot += Q[q * dim + f] * V[i * dim + f];
        return { i, dot: Math.fround(dot) };
      });
      s.sort((x, y) => y.dot - x.dot || x.i - y.i);
      expect(Array.from(a.items.subarray(q * k, q * k + k))).toEqual(s.slice(0, k).map((x) => x.i));
    }
  });

  it('says which sizes do not fit', () => {
    expect(() => exactTopK(new Float32Array(3), items, 2, 1)).toThrow(ConfigError);
    expect(() => exactTopK(new Float32Array(4), items, 2, 1, { users: Int32Array.of(0) })).toThrow(/users has 1 entries for 2 queries/);
  });
});
