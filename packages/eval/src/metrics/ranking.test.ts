import { ConfigError, DataError, Rng, recommendTopK } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { fixedScoreModel, int32, interactionsFromRows, listsToTopK } from '../testing/fixtures';
import { evaluateRankings } from './ranking';

const d = (r: number): number => 1 / Math.log2(r + 1); // DCG discount at 1-based rank r
const f1 = (p: number, r: number): number => (2 * p * r) / (p + r);

describe('evaluateRankings: hand-computed cases', () => {
  // u0 test {1,4}; u1 no test items (excluded); u2 test {3} with a short list; u3 test {0,2,5,7} (|test| > 3)
  const test = interactionsFromRows([[1, 4], [], [3], [0, 2, 5, 7]], 10);
  const recs = listsToTopK(
    [
      [1, 2, 4, 6, 8], // hits at ranks 1, 3
      [0, 1, 2, 3, 4], // no test items: not counted
      [5, 6], // fewer than K, no hit; slots 3..5 are -1
      [2, 9, 0, 8, 7], // hits at ranks 1, 3, 5
    ],
    5,
  );
  const result = evaluateRankings(recs, int32([0, 1, 2, 3]), test, [3, 5]);

  it('counts only users with test items', () => {
    expect(result.nUsersEvaluated).toBe(3);
    expect(result.perUser).toBeUndefined(); // k = 5 < 10
  });

  it('K = 3', () => {
    const m = result.perK['3'];
    // u0: 2 hits of |test|=2; u2: nothing; u3: 2 hits of |test|=4, ideal over min(4,3)=3 positions
    expect(m.hitRate).toBeCloseTo((1 + 0 + 1) / 3, 12);
    expect(m.precision).toBeCloseTo((2 / 3 + 0 + 2 / 3) / 3, 12);
    expect(m.recall).toBeCloseTo((1 + 0 + 2 / 4) / 3, 12);
    const ndcgU0 = (d(1) + d(3)) / (d(1) + d(2));
    const ndcgU3 = (d(1) + d(3)) / (d(1) + d(2) + d(3));
    expect(m.ndcg).toBeCloseTo((ndcgU0 + ndcgU3) / 3, 12);
    expect(m.map).toBeCloseTo(((1 + 2 / 3) / 2 + (1 + 2 / 3) / 3) / 3, 12);
    expect(m.mrr).toBeCloseTo((1 + 0 + 1) / 3, 12);
    expect(m.f1).toBeCloseTo((f1(2 / 3, 1) + 0 + f1(2 / 3, 1 / 2)) / 3, 12);
  });

  it('K = 5: precision divides by K even for the short list, IDCG over min(|test|, K)', () => {
    const m = result.perK['5'];
    expect(m.precision).toBeCloseTo((2 / 5 + 0 + 3 / 5) / 3, 12);
    expect(m.recall).toBeCloseTo((1 + 0 + 3 / 4) / 3, 12);
    const ndcgU0 = (d(1) + d(3)) / (d(1) + d(2));
    const ndcgU3 = (d(1) + d(3) + d(5)) / (d(1) + d(2) + d(3) + d(4));
    expect(m.ndcg).toBeCloseTo((ndcgU0 + ndcgU3) / 3, 12);
    expect(m.map).toBeCloseTo(((1 + 2 / 3) / 2 + (1 + 2 / 3 + 3 / 5) / 4) / 3, 12);
    expect(m.f1).toBeCloseTo((f1(2 / 5, 1) + 0 + f1(3 / 5, 3 / 4)) / 3, 12);
  });

  it('MRR and MAP when the first hit is not at rank 1', () => {
    const r = evaluateRankings(listsToTopK([[3, 7, 1]], 3), int32([0]), interactionsFromRows([[7]], 8), [1, 3]);
    expect(r.perK['1']).toEqual({ hitRate: 0, ndcg: 0, precision: 0, recall: 0, map: 0, mrr: 0, f1: 0 });
    const m = r.perK['3'];
    expect(m.mrr).toBe(0.5);
    expect(m.map).toBe(0.5); // precision@2 = 1/2, over min(1, 3) = 1
    expect(m.ndcg).toBeCloseTo(d(2), 12);
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(f1(1 / 3, 1), 12);
  });

  it('a perfect list scores 1 for HR, NDCG and MAP at every K', () => {
    const test = interactionsFromRows([[1, 2, 3]], 12);
    const r = evaluateRankings(listsToTopK([[3, 1, 2, 0, 4, 5, 6, 7, 8, 9]], 10), int32([0]), test, [2, 3, 5, 10]);
    for (const K of ['2', '3', '5', '10']) {
      expect(r.perK[K].hitRate).toBe(1);
      expect(r.perK[K].ndcg).toBeCloseTo(1, 12);
      expect(r.perK[K].map).toBeCloseTo(1, 12);
      expect(r.perK[K].mrr).toBe(1);
    }
    expect(r.perK['2'].precision).toBe(1);
    expect(r.perK['10'].precision).toBeCloseTo(0.3, 12);
    expect(r.perK['10'].recall).toBe(1);
    expect(r.perUser!.users).toEqual(int32([0]));
    expect(r.perUser!.ndcg10[0]).toBeCloseTo(1, 6);
  });

  it('ties in model scores: core topK keeps the lower item index first', () => {
    // items 2 and 5 tie at 0.9; the test item is 5, so it lands at rank 2
    const model = fixedScoreModel([[0.1, 0.2, 0.9, 0.3, 0.4, 0.9, 0.0]]);
    const recs = recommendTopK(model, int32([0]), 7, 3);
    expect(Array.from(recs.items)).toEqual([2, 5, 4]);
    const r = evaluateRankings(recs, int32([0]), interactionsFromRows([[5]], 7), [1, 2]);
    expect(r.perK['1'].ndcg).toBe(0);
    expect(r.perK['2'].ndcg).toBeCloseTo(d(2), 12);
    expect(r.perK['2'].mrr).toBe(0.5);
  });

  it('no evaluable user gives zeros, not NaN', () => {
    const r = evaluateRankings(listsToTopK([[0, 1]], 2), int32([0]), interactionsFromRows([[]], 3), [2]);
    expect(r.nUsersEvaluated).toBe(0);
    expect(r.perK['2'].ndcg).toBe(0);
  });

  it('perUser NDCG@10 lists each evaluated user in order', () => {
    const test = interactionsFromRows([[0], [], [11]], 12);
    const lists = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]];
    const r = evaluateRankings(listsToTopK(lists, 11), int32([0, 1, 2]), test, [5]);
    expect(Array.from(r.perUser!.users)).toEqual([0, 2]);
    expect(r.perUser!.ndcg10[0]).toBe(1);
    expect(r.perUser!.ndcg10[1]).toBe(0); // hit at rank 11 is outside the top-10
  });
});

describe('evaluateRankings: properties against a plain reference', () => {
  it('matches a Set-based reference and stays in [0, 1] on random lists', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 30; trial++) {
      const nItems = 5 + rng.int(40);
      const nUsers = 1 + rng.int(12);
      const k = 1 + rng.int(12);
      const testRows: number[][] = [];
      const lists: number[][] = [];
      for (let u = 0; u < nUsers; u++) {
        const perm = rng.shuffle(Array.from({ length: nItems }, (_, i) => i));
        testRows.push(perm.slice(0, rng.int(Math.min(8, nItems))));
        const perm2 = rng.shuffle(Array.from({ length: nItems }, (_, i) => i));
        lists.push(perm2.slice(0, rng.int(Math.min(k, nItems) + 1)));
      }
      const ks = Array.from(new Set([1, 1 + rng.int(k), k]));
      const users = int32(Array.from({ length: nUsers }, (_, u) => u));
      const got = evaluateRankings(listsToTopK(lists, k), users, interactionsFromRows(testRows, nItems), ks);
      const want = reference(lists, testRows, ks);
      expect(got.nUsersEvaluated).toBe(want.n);
      for (const K of ks) {
        for (const [name, value] of Object.entries(got.perK[String(K)])) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1 + 1e-12);
          expect(value).toBeCloseTo(want.perK[String(K)][name], 10);
        }
      }
    }
  });
});

describe('evaluateRankings: bad input', () => {
  const test = interactionsFromRows([[0]], 4);
  it('rejects a cut-off beyond the list length', () => {
    expect(() => evaluateRankings(listsToTopK([[0]], 3), int32([0]), test, [5])).toThrow(ConfigError);
    expect(() => evaluateRankings(listsToTopK([[0]], 3), int32([0]), test, [0])).toThrow(/positive integer/);
  });
  it('rejects mismatched shapes and out-of-range ids', () => {
    expect(() => evaluateRankings(listsToTopK([[0]], 3), int32([0, 0]), test, [3])).toThrow(/users.length × k/);
    expect(() => evaluateRankings(listsToTopK([[9]], 3), int32([0]), test, [3])).toThrow(DataError);
    expect(() => evaluateRankings(listsToTopK([[0]], 3), int32([4]), test, [3])).toThrow(/user index 4/);
  });
});

/** Straightforward per-user metric definitions over plain arrays, for comparison. */
function reference(lists: number[][], testRows: number[][], ks: number[]) {
  const perK: Record<string, Record<string, number>> = {};
  let n = 0;
  for (const K of ks) perK[String(K)] = { hitRate: 0, ndcg: 0, precision: 0, recall: 0, map: 0, mrr: 0, f1: 0 };
  lists.forEach((list, u) => {
    const truth = new Set(testRows[u]);
    if (truth.size === 0) return;
    n++;
    for (const K of ks) {
      const top = list.slice(0, K);
      const rel = top.map((i): number => (truth.has(i) ? 1 : 0));
      const hits = rel.reduce((a, b) => a + b, 0);
      const dcg = rel.reduce((a, r, j) => a + r / Math.log2(j + 2), 0);
      let idcg = 0;
      for (let j = 0; j < Math.min(truth.size, K); j++) idcg += 1 / Math.log2(j + 2);
      let ap = 0;
      let seen = 0;
      rel.forEach((r, j) => {
        if (r) ap += ++seen / (j + 1);
      });
      const first = rel.indexOf(1);
      const p = hits / K;
      const rc = hits / truth.size;
      const m = perK[String(K)];
      m.hitRate += hits > 0 ? 1 : 0;
      m.ndcg += dcg / idcg;
      m.precision += p;
      m.recall += rc;
      m.map += ap / Math.min(truth.size, K);
      m.mrr += first >= 0 ? 1 / (first + 1) : 0;
      m.f1 += p + rc > 0 ? (2 * p * rc) / (p + rc) : 0;
    }
  });
  for (const m of Object.values(perK)) for (const key of Object.keys(m)) m[key] = n === 0 ? 0 : m[key] / n;
  return { perK, n };
}
