import { Interactions, Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { itemSimilarity, type ItemSimilarityOptions } from './similarity';

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

function similarityOf(m: Interactions, options: Partial<ItemSimilarityOptions> = {}) {
  return itemSimilarity(m, m.transpose(), { neighbors: 0, shrinkage: 0, normalize: true, ...options });
}

/** Row i as [neighbour, similarity] pairs in stored (best-first) order. */
function row(s: ReturnType<typeof similarityOf>, i: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = s.indptr[i]; p < s.indptr[i + 1]; p++) out.push([s.indices[p], s.values[p]]);
  return out;
}

// 3 users × 3 items, binary:        columns x0 = (1,1,0), x1 = (1,1,1), x2 = (0,1,1)
//        i0 i1 i2                   ‖x0‖ = √2, ‖x1‖ = √3, ‖x2‖ = √2
//   u0    1  1  .                   x0·x1 = 2, x0·x2 = 1, x1·x2 = 2
//   u1    1  1  1
//   u2    .  1  1
const binary = Interactions.fromTriples([0, 0, 1, 1, 1, 2, 2], [0, 1, 0, 1, 2, 1, 2], null, ids(3, 'u'), ids(3, 'i'));
const f = Math.fround;

describe('itemSimilarity', () => {
  it('cosine on a hand-computed 3 × 3 case, rows best-first with ties to the lower index', () => {
    const s = similarityOf(binary);
    const c01 = f(2 / Math.sqrt(6));
    expect(row(s, 0)).toEqual([[1, c01], [2, 0.5]]);
    expect(row(s, 1)).toEqual([[0, c01], [2, c01]]);
    expect(row(s, 2)).toEqual([[1, c01], [0, 0.5]]);
  });

  it('shrinkage adds to the cosine denominator', () => {
    const s = similarityOf(binary, { shrinkage: 1 });
    const c01 = f(2 / (Math.sqrt(6) + 1));
    expect(row(s, 0)).toEqual([[1, c01], [2, f(1 / 3)]]);
    expect(row(s, 1)).toEqual([[0, c01], [2, c01]]);
    expect(row(s, 2)).toEqual([[1, c01], [0, f(1 / 3)]]);
  });

  it('weighted values and raw dot products', () => {
    // x0 = (2,1,0), x1 = (1,3,1), x2 = (0,1,2): x0·x1 = 5, x0·x2 = 1, x1·x2 = 5; ‖x0‖ = ‖x2‖ = √5, ‖x1‖ = √11
    const m = Interactions.fromTriples([0, 0, 1, 1, 1, 2, 2], [0, 1, 0, 1, 2, 1, 2], [2, 1, 1, 3, 1, 1, 2], ids(3, 'u'), ids(3, 'i'));
    const cosine = similarityOf(m);
    expect(row(cosine, 0)).toEqual([[1, f(5 / Math.sqrt(55))], [2, f(1 / 5)]]);
    const dot = similarityOf(m, { normalize: false });
    expect(row(dot, 0)).toEqual([[1, 5], [2, 1]]);
    expect(row(dot, 1)).toEqual([[0, 5], [2, 5]]);
    expect(row(dot, 2)).toEqual([[1, 5], [0, 1]]);
  });

  it('prunes each row to the top `neighbors`, never the item itself', () => {
    const s = similarityOf(binary, { neighbors: 1 });
    expect(row(s, 0)).toEqual([[1, f(2 / Math.sqrt(6))]]);
    expect(row(s, 1)).toEqual([[0, f(2 / Math.sqrt(6))]]); // tie with item 2 → lower index
    expect(row(s, 2)).toEqual([[1, f(2 / Math.sqrt(6))]]);
  });

  it('an all-zero column gets no similarities instead of NaN', () => {
    const m = Interactions.fromTriples([0, 0, 1], [0, 1, 0], [1, 0, 1], ids(2, 'u'), ids(2, 'i'));
    const s = similarityOf(m);
    expect(row(s, 0)).toEqual([]);
    expect(row(s, 1)).toEqual([]);
  });

  it('matches a brute-force dense cosine + full sort on random data', () => {
    const rng = new Rng(5);
    const nUsers = 40;
    const nItems = 25;
    const users: number[] = [];
    const items: number[] = [];
    const values: number[] = [];
    for (let u = 0; u < nUsers; u++) {
      for (let i = 0; i < nItems; i++) {
        if (rng.next() < 0.2) {
          users.push(u);
          items.push(i);
          values.push(1 + rng.int(4)); // small integers: many exact ties
        }
      }
    }
    const m = Interactions.fromTriples(users, items, values, ids(nUsers, 'u'), ids(nItems, 'i'));
    const dense = (u: number, i: number) => {
      const row = m.itemsOf(u);
      const k = row.indexOf(i);
      return k < 0 ? 0 : m.valuesOf(u)[k];
    };
    for (const [neighbors, shrinkage] of [[0, 0], [4, 0], [4, 2.5]]) {
      const s = similarityOf(m, { neighbors, shrinkage });
      for (let i = 0; i < nItems; i++) {
        const expected: [number, number][] = [];
        for (let j = 0; j < nItems; j++) {
          if (j === i) continue;
          let dot = 0;
          let ni = 0;
          let nj = 0;
          let together = false;
          for (let u = 0; u < nUsers; u++) {
            const a = dense(u, i);
            const b = dense(u, j);
            dot += a * b;
            ni += a * a;
            nj += b * b;
            together ||= a !== 0 && b !== 0;
          }
          if (together) expected.push([j, f(dot / (Math.sqrt(ni) * Math.sqrt(nj) + shrinkage))]);
        }
        expected.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        const got = row(s, i);
        const want = neighbors === 0 ? expected : expected.slice(0, neighbors);
        expect(got.map(([j]) => j)).toEqual(want.map(([j]) => j));
        for (let r = 0; r < got.length; r++) expect(got[r][1]).toBeCloseTo(want[r][1], 6);
      }
    }
  });
});
