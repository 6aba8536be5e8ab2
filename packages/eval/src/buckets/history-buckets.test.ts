import { ConfigError, Rng } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { evaluateRankings } from '../metrics/ranking';
import { int32, interactionsFromRows, listsToTopK } from '../testing/fixtures';
import { historyBuckets, historyBucketsOf, perUserMetrics } from './history-buckets';

const d = (r: number): number => 1 / Math.log2(r + 1);
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

// 25 items. History lengths: u0 1, u1 2, u2 3, u3 12 (no test item), u4 0, u5 11.
const train = interactionsFromRows([[0], [0, 1], [0, 1, 2], range(0, 12), [], range(0, 11)], 25);
const test = interactionsFromRows([[1, 2], [5], [3], [], [4], [19, 18]], 25);
const lists = [
  [1, 9, 2], // u0: hits at ranks 1 and 3
  [...range(6, 20), 5], // u1: its test item at rank 15 (inside 20, outside 10)
  [9, 3], // u2: hit at rank 2
  [20],
  [4], // u4: a hit, but no history: no bucket
  range(0, 10), // u5: misses
];
const users = int32([0, 1, 2, 3, 4, 5]);
const recs = listsToTopK(lists, 20);

describe('perUserMetrics', () => {
  it('computes NDCG@10, HR@10, Recall@20 per user, NaN without test items', () => {
    const m = perUserMetrics(recs, users, test);
    expect(m.ndcg10[0]).toBeCloseTo((d(1) + d(3)) / (d(1) + d(2)), 12);
    expect([m.hitRate10[0], m.recall20[0]]).toEqual([1, 1]);
    expect([m.ndcg10[1], m.hitRate10[1], m.recall20[1]]).toEqual([0, 0, 1]);
    expect(m.ndcg10[2]).toBeCloseTo(d(2), 12);
    expect(m.ndcg10[3]).toBeNaN();
    expect([m.ndcg10[5], m.hitRate10[5], m.recall20[5]]).toEqual([0, 0, 0]);
  });

  it('refuses lists shorter than 20', () => {
    expect(() => perUserMetrics(listsToTopK(lists, 10), users, test)).toThrow(ConfigError);
  });
});

describe('historyBuckets', () => {
  it('averages each history-length bucket over its users with test items', () => {
    const b = historyBucketsOf(recs, users, train, test);
    const u0 = (d(1) + d(3)) / (d(1) + d(2));
    expect(Object.keys(b)).toEqual(['1-2', '3-10', '11+']);
    expect(b['1-2'].users).toBe(2);
    expect(b['1-2'].ndcg10).toBeCloseTo(u0 / 2, 12);
    expect(b['1-2'].hitRate10).toBe(0.5);
    expect(b['1-2'].recall20).toBe(1);
    expect(b['3-10']).toEqual({ users: 1, ndcg10: d(2), hitRate10: 1, recall20: 1 });
    expect(b['11+']).toEqual({ users: 1, ndcg10: 0, hitRate10: 0, recall20: 0 });
  });

  it('gives empty buckets zeros and a user count of 0', () => {
    const b = historyBucketsOf(listsToTopK([lists[2]], 20), int32([2]), train, test);
    expect(b['1-2']).toEqual({ users: 0, ndcg10: 0, hitRate10: 0, recall20: 0 });
    expect(b['3-10'].users).toBe(1);
  });

  it('the user-weighted mean of the buckets is the overall metric (random lists)', () => {
    const rng = new Rng(5);
    const nItems = 60;
    const rows = range(0, 80).map(() => range(0, nItems).filter(() => rng.next() < 0.15));
    const trainRows = rows.map((r) => r.filter((_, j) => j % 4 !== 0));
    const testRows = rows.map((r) => r.filter((_, j) => j % 4 === 0));
    const tr = interactionsFromRows(trainRows, nItems);
    const te = interactionsFromRows(testRows, nItems);
    const all = int32(range(0, 80).filter((u) => trainRows[u].length > 0));
    const recLists = Array.from(all, () => rng.shuffle(range(0, nItems)).slice(0, 20));
    const r = listsToTopK(recLists, 20);
    const overall = evaluateRankings(r, all, te, [10, 20]);
    const b = historyBuckets(perUserMetrics(r, all, te), all, tr);
    const n = Object.values(b).reduce((s, x) => s + x.users, 0);
    expect(n).toBe(overall.nUsersEvaluated);
    const mean = (key: 'ndcg10' | 'hitRate10' | 'recall20'): number => Object.values(b).reduce((s, x) => s + x.users * x[key], 0) / n;
    expect(mean('ndcg10')).toBeCloseTo(overall.perK['10'].ndcg, 12);
    expect(mean('hitRate10')).toBeCloseTo(overall.perK['10'].hitRate, 12);
    expect(mean('recall20')).toBeCloseTo(overall.perK['20'].recall, 12);
  });
});
