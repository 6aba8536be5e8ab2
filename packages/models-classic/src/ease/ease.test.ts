import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, Interactions, ModelFitError, Rng, range, recommendTopK } from '@musicrec/core';
import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { describe, expect, it } from 'vitest';
import type { EaseConfig } from './config';
import { EaseRecommender, MAX_HEAD_ITEMS } from './ease';
import { easeFactory } from './factory';

describeRecommender('ease', () => new EaseRecommender(), { factory: easeFactory });
describeRecommender('ease (every item in the dense model)', () => new EaseRecommender({ minItemUsers: 1 }), { factory: easeFactory });
describeRecommender('ease (dual solver, head of items with ≥ 3 users)', () => new EaseRecommender({ solver: 'dual', minItemUsers: 3 }), {
  factory: easeFactory,
});

const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);

// 4 users × 4 items, binary:
//        i0 i1 i2 i3
//   u0    1  1  1  .
//   u1    1  1  .  .
//   u2    1  .  .  .
//   u3    .  .  1  1
// G = XᵀX + 1·I = [[4,2,1,0],[2,3,1,0],[1,1,3,1],[0,0,1,2]], and by hand (Gauss–Jordan in
// fractions; det G = 34) P = G⁻¹ = [[13,−8,−2,1],[−8,18,−4,2],[−2,−4,16,−8],[1,2,−8,21]] / 34.
const handX = Interactions.fromTriples([0, 0, 0, 1, 1, 2, 3, 3], [0, 1, 2, 0, 1, 0, 2, 3], null, ids(4, 'u'), ids(4, 'i'));
const handG = [4, 2, 1, 0, 2, 3, 1, 0, 1, 1, 3, 1, 0, 0, 1, 2];
const handP = [13, -8, -2, 1, -8, 18, -4, 2, -2, -4, 16, -8, 1, 2, -8, 21].map((v) => v / 34);

/** B_ij = −P_ij / P_jj, B_jj = 0, from the hand-written inverse. */
function handB(): number[] {
  const b: number[] = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) b.push(i === j ? 0 : -handP[i * 4 + j] / handP[j * 4 + j]);
  return b;
}

describe('EaseRecommender known answers', () => {
  it('the hand-written P really is G⁻¹', () => {
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let p = 0; p < 4; p++) s += handG[i * 4 + p] * handP[p * 4 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
      }
    }
  });

  for (const solver of ['primal', 'dual'] as const) {
    it(`${solver} solver: B = I − P·diag(P)⁻¹ on the 4×4 example, scores = X·B`, async () => {
      const model = new EaseRecommender({ lambda: 1, solver, minItemUsers: 1 });
      await model.fit(handX, { seed: 1 });
      expect(model.describe()).toEqual({ solver, headItems: 4, tailItems: 0 });
      const expected = handB();
      // e.g. B_01 = 8/18 = 4/9, B_03 = −1/21, B_32 = 8/16 = 1/2
      expect(expected[1]).toBeCloseTo(4 / 9, 14);
      for (let k = 0; k < 16; k++) expect(model.weights[k]).toBeCloseTo(expected[k], 6);
      // u2 has only i0, so its scores are row 0 of B: i1 (4/9) > i2 (1/8) > i3 (−1/21)
      const scores = model.scoreUsers(Int32Array.of(2));
      expect(Array.from(scores).map((s) => Number(s.toFixed(6)))).toEqual([0, 4 / 9, 1 / 8, -1 / 21].map((s) => Number(s.toFixed(6))));
      const top = recommendTopK(model, Int32Array.of(2), 4, 3, { exclude: handX });
      expect(Array.from(top.items)).toEqual([1, 2, 3]);
    });
  }

  it('similarItems: row i of B best first, the item itself left out (hand-computed on the 4×4 example)', async () => {
    const model = new EaseRecommender({ lambda: 1, minItemUsers: 1 });
    await model.fit(handX, { seed: 1 });
    // row 0 of B: i1 4/9, i2 1/8, i3 −1/21
    const r0 = model.similarItems(0, 4);
    expect(Array.from(r0.items)).toEqual([1, 2, 3, -1]);
    [4 / 9, 1 / 8, -1 / 21].forEach((b, j) => expect(r0.scores[j]).toBeCloseTo(b, 6));
    expect(r0.scores[3]).toBe(-Infinity);
    // row 3: B_32 = 8/16 = 1/2, B_30 = −1/13, B_31 = −2/18 = −1/9
    const r3 = model.similarItems(3, 2);
    expect(Array.from(r3.items)).toEqual([2, 0]);
    expect(r3.scores[0]).toBeCloseTo(1 / 2, 6);
    expect(r3.scores[1]).toBeCloseTo(-1 / 13, 6);
    expect(() => model.similarItems(4, 1)).toThrow(RangeError);
  });

  it('similarItems: catalogue indices of head items; a tail item has no row in B', async () => {
    // the 4×4 example with item i relabelled (i + 1) mod 4: item 0 has a single user, so with
    // minItemUsers 2 the head is items 1, 2, 3 (head positions 0, 1, 2)
    const shifted = Interactions.fromTriples([0, 0, 0, 1, 1, 2, 3, 3], [1, 2, 3, 1, 2, 1, 3, 0], null, ids(4, 'u'), ids(4, 'i'));
    const model = new EaseRecommender({ lambda: 1, minItemUsers: 2 });
    await model.fit(shifted, { seed: 1 });
    expect(Array.from(model.headItems)).toEqual([1, 2, 3]);
    // item 3 is head position 2: its row of B over positions 0, 1, named by their items 1, 2
    const row = [0, 1].sort((a, b) => model.weights[2 * 3 + b] - model.weights[2 * 3 + a]);
    const r = model.similarItems(3, 3);
    expect(Array.from(r.items)).toEqual([...row.map((p) => p + 1), -1]);
    expect(r.scores[0]).toBe(model.weights[2 * 3 + row[0]]);
    expect(Array.from(model.similarItems(0, 2).items)).toEqual([-1, -1]);
  });

  it('takes interaction values as given (primal and dual agree on weighted data)', async () => {
    const plays = Interactions.fromTriples([0, 0, 0, 1, 1, 2, 3, 3], [0, 1, 2, 0, 1, 0, 2, 3], [3, 1, 2, 1, 4, 2, 1, 5], ids(4, 'u'), ids(4, 'i'));
    const a = new EaseRecommender({ lambda: 2, solver: 'primal', minItemUsers: 1 });
    const b = new EaseRecommender({ lambda: 2, solver: 'dual', minItemUsers: 1 });
    await a.fit(plays, { seed: 1 });
    await b.fit(plays, { seed: 1 });
    for (let k = 0; k < 16; k++) expect(a.weights[k]).toBeCloseTo(b.weights[k], 5);
    // with these values B differs from the binary fit
    const binary = new EaseRecommender({ lambda: 2, minItemUsers: 1 });
    await binary.fit(handX, { seed: 1 });
    expect(Math.abs(a.weights[1] - binary.weights[1])).toBeGreaterThan(0.01);
  });
});

describe('EaseRecommender head and tail', () => {
  const data = clusteredInteractions({ nUsers: 60, nItems: 45, nClusters: 3, itemsPerUser: 6, seed: 9 });

  it('primal and dual solvers give the same scores', async () => {
    const a = new EaseRecommender({ lambda: 5, solver: 'primal', minItemUsers: 2 });
    const b = new EaseRecommender({ lambda: 5, solver: 'dual', minItemUsers: 2 });
    await a.fit(data, { seed: 1 });
    await b.fit(data, { seed: 1 });
    const sa = a.scoreUsers(range(data.nUsers));
    const sb = b.scoreUsers(range(data.nUsers));
    for (let k = 0; k < sa.length; k++) expect(sa[k]).toBeCloseTo(sb[k], 5);
  });

  it('head = items with ≥ minItemUsers users; regression tail = the tail item’s ridge regression onto the head', async () => {
    const m = 6;
    const lambda = 3;
    const counts = data.itemCounts();
    const model = new EaseRecommender({ lambda, minItemUsers: m });
    await model.fit(data, { seed: 1 });
    const head = Array.from(model.headItems);
    expect(head).toEqual(Array.from(range(data.nItems)).filter((i) => counts[i] >= m));
    const tail = Array.from(range(data.nItems)).filter((i) => counts[i] < m && counts[i] > 0);
    expect(tail.length).toBeGreaterThan(0);
    // reference: b_j = (X_hᵀX_h + λI)⁻¹ X_hᵀ x_j by Gaussian elimination, score = x_u,h · b_j
    const nh = head.length;
    const xh = (u: number, h: number) => (data.has(u, head[h]) ? 1 : 0);
    const g = new Float64Array(nh * nh);
    for (let a = 0; a < nh; a++) {
      for (let b = 0; b < nh; b++) {
        let s = a === b ? lambda : 0;
        for (let u = 0; u < data.nUsers; u++) s += xh(u, a) * xh(u, b);
        g[a * nh + b] = s;
      }
    }
    const scores = model.scoreUsers(range(data.nUsers));
    for (const j of tail.slice(0, 4)) {
      const rhs = new Float64Array(nh);
      for (let h = 0; h < nh; h++) for (let u = 0; u < data.nUsers; u++) rhs[h] += xh(u, h) * (data.has(u, j) ? 1 : 0);
      const b = solve(g, rhs, nh);
      for (let u = 0; u < data.nUsers; u++) {
        let s = 0;
        for (let h = 0; h < nh; h++) s += xh(u, h) * b[h];
        expect(scores[u * data.nItems + j]).toBeCloseTo(s, 5);
      }
    }
  });

  it('popularity tail ranks every tail item below every head item, more users first', async () => {
    const m = 6;
    const model = new EaseRecommender({ lambda: 3, minItemUsers: m, tailFallback: 'popularity' });
    await model.fit(data, { seed: 1 });
    const counts = data.itemCounts();
    const scores = model.scoreUsers(range(data.nUsers));
    for (let u = 0; u < data.nUsers; u++) {
      const row = scores.subarray(u * data.nItems, (u + 1) * data.nItems);
      let lowestHead = Infinity;
      let highestTail = -Infinity;
      for (let i = 0; i < data.nItems; i++) {
        if (counts[i] >= m) lowestHead = Math.min(lowestHead, row[i]);
        else highestTail = Math.max(highestTail, row[i]);
      }
      expect(highestTail).toBeLessThan(lowestHead);
      for (let i = 0; i < data.nItems; i++) {
        for (let k = 0; k < data.nItems; k++) {
          if (counts[i] < m && counts[k] < m && counts[i] > counts[k]) expect(row[i]).toBeGreaterThan(row[k]);
        }
      }
    }
  });

  it('an item nobody has in training scores 0 under the regression tail (as in the full EASE)', async () => {
    const rng = new Rng(4);
    const users: number[] = [];
    const items: number[] = [];
    for (let u = 0; u < 12; u++) for (let i = 0; i < 5; i++) if (rng.next() < 0.5 || i === u % 5) users.push(u), items.push(i);
    // item 5 exists in the catalogue but has no interactions
    const x = Interactions.fromTriples(users, items, null, ids(12, 'u'), ids(6, 'i'));
    const model = new EaseRecommender({ lambda: 1, minItemUsers: 1 });
    await model.fit(x, { seed: 1 });
    const scores = model.scoreUsers(range(12));
    for (let u = 0; u < 12; u++) expect(scores[u * 6 + 5]).toBe(0);
  });
});

describe('EaseRecommender errors', () => {
  it('rejects unknown options and out-of-range values', () => {
    expect(() => new EaseRecommender({ lamda: 5 } as Partial<EaseConfig>)).toThrow(/unknown option "lamda"/);
    expect(() => new EaseRecommender({ lambda: 0 })).toThrow(ConfigError);
    expect(() => new EaseRecommender({ lambda: -1 })).toThrow(/"lambda" must be a finite number > 0/);
    expect(() => new EaseRecommender({ minItemUsers: 0 })).toThrow(/"minItemUsers" must be an integer >= 1/);
    expect(() => new EaseRecommender({ minItemUsers: 1.5 })).toThrow(ConfigError);
    expect(() => new EaseRecommender({ tailFallback: 'knn' as never })).toThrow(/"tailFallback"/);
    expect(() => new EaseRecommender({ solver: 'qr' as never })).toThrow(/"solver"/);
  });

  it('fails to fit on empty data or when no item reaches minItemUsers, and to score before fit', async () => {
    await expect(new EaseRecommender().fit(Interactions.empty(ids(2, 'u'), ids(3, 'i')), { seed: 1 })).rejects.toThrow(ModelFitError);
    await expect(new EaseRecommender({ minItemUsers: 5 }).fit(handX, { seed: 1 })).rejects.toThrow(/no item has 5 or more training users/);
    expect(() => new EaseRecommender().scoreUsers(Int32Array.of(0))).toThrow(ModelFitError);
    await expect(new EaseRecommender().save(join(tmpdir(), 'never-written'))).rejects.toThrow(ModelFitError);
  });

  it('refuses a head too large for one dense B, before allocating it', async () => {
    const nItems = MAX_HEAD_ITEMS + 1;
    const users: number[] = [];
    const items: number[] = [];
    for (let i = 0; i < nItems; i++) users.push(0, 1), items.push(i, i);
    const x = Interactions.fromTriples(users, items, null, ids(2, 'u'), ids(nItems, 'i'));
    await expect(new EaseRecommender().fit(x, { seed: 1 })).rejects.toThrow(/23171 items have ≥ 2 training users; .* raise minItemUsers/);
  });

  it('load names the file and field of a bad saved model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-ease-'));
    try {
      await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 1, meta: { model: 'ials' }, arrays: {} }));
      await expect(EaseRecommender.load(dir)).rejects.toThrow(DataError);
      await expect(EaseRecommender.load(dir)).rejects.toThrow(/field "meta.model"/);

      const model = new EaseRecommender({ lambda: 1, minItemUsers: 1 });
      await model.fit(handX, { seed: 1 });
      await model.save(dir);
      // a weight file of 9 floats for 4 head items
      const doc = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      doc.arrays.weights.length = 9;
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(new Float32Array(9).buffer));
      await writeFile(join(dir, 'model.json'), JSON.stringify(doc));
      await expect(EaseRecommender.load(dir)).rejects.toThrow(/field "arrays.weights".*expected 4² for 4 head items/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Gaussian elimination with partial pivoting (test reference only). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = a.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
    x[r] = s / m[r * n + r];
  }
  return x;
}
