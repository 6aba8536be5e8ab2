import { describe, expect, it } from 'vitest';
import { ConfigError } from '@musicrec/core';
import { holdoutSplit, holdoutTestCount, holdoutValidationCount } from './holdout';
import { entries, matrixWithRowSizes, rowsSortedUnique } from './testMatrices';

describe('holdoutSplit', () => {
  const sizes = [1, 2, 3, 5, 10, 0, 17, 30];
  const data = matrixWithRowSizes(sizes);
  const split = holdoutSplit(data, { seed: 11 });

  it('follows the per-user size rule for n = 1, 2, 3, 5, 10 (test, then validation from the rest)', () => {
    // n: test = max(1, round(0.2 n)) for n ≥ 2; rest = n - test; validation = max(1, round(0.1 rest)) for rest ≥ 3
    // [train, validation, test] per row size
    const expected: Record<number, [number, number, number]> = {
      0: [0, 0, 0],
      1: [1, 0, 0], // a single interaction stays in train
      2: [1, 0, 1],
      3: [2, 0, 1], // round(0.6) = 1 test; rest 2 < 3: no validation
      5: [3, 1, 1], // round(1.0) = 1 test; rest 4: max(1, round(0.4)) = 1
      10: [7, 1, 2], // round(2.0) = 2 test; rest 8: max(1, round(0.8)) = 1
      17: [13, 1, 3], // round(3.4) = 3 test; rest 14: round(1.4) = 1
      30: [22, 2, 6], // round(6.0) = 6 test; rest 24: round(2.4) = 2
    };
    sizes.forEach((n, u) => {
      const got = [split.train.rowLength(u), split.validation.rowLength(u), split.test.rowLength(u)];
      expect(got, `user with ${n} items`).toEqual(expected[n]);
    });
  });

  it('counts helpers agree with the rule', () => {
    expect([1, 2, 3, 5, 10].map((n) => holdoutTestCount(n, 0.2))).toEqual([0, 1, 1, 1, 2]);
    expect([0, 1, 2, 3, 4, 8, 15].map((r) => holdoutValidationCount(r, 0.1))).toEqual([0, 0, 0, 1, 1, 1, 2]);
    // a large fraction still leaves one training item
    expect(holdoutTestCount(2, 0.9)).toBe(1);
  });

  it('partitions the data exactly: train ∪ validation ∪ test = original, pairwise disjoint', () => {
    const all = entries(data).sort();
    const parts = [...entries(split.train), ...entries(split.validation), ...entries(split.test)].sort();
    expect(parts).toEqual(all);
    expect(split.train.nnz + split.validation.nnz + split.test.nnz).toBe(data.nnz);
    for (let u = 0; u < data.nUsers; u++) {
      for (const i of split.test.itemsOf(u)) {
        expect(split.train.has(u, i)).toBe(false);
        expect(split.validation.has(u, i)).toBe(false);
      }
      for (const i of split.validation.itemsOf(u)) expect(split.train.has(u, i)).toBe(false);
    }
  });

  it('keeps values, timestamps, id maps and sorted rows; fullTrain = train ∪ validation', () => {
    for (const part of [split.train, split.validation, split.test, split.fullTrain]) {
      expect(part.timestamps).toBeDefined();
      expect(part.userIds).toBe(data.userIds);
      expect(part.itemIds).toBe(data.itemIds);
      expect(rowsSortedUnique(part)).toBe(true);
    }
    expect(entries(split.fullTrain).sort()).toEqual([...entries(split.train), ...entries(split.validation)].sort());
    expect(split.protocol).toBe('holdout');
    expect(split.seed).toBe(11);
  });

  it('reproduces with the same seed and differs with another', () => {
    const big = matrixWithRowSizes(Array.from({ length: 50 }, (_, u) => 5 + (u % 20)), 60);
    const a = holdoutSplit(big, { seed: 5 });
    const b = holdoutSplit(big, { seed: 5 });
    const c = holdoutSplit(big, { seed: 6 });
    expect(entries(a.test)).toEqual(entries(b.test));
    expect(entries(a.validation)).toEqual(entries(b.validation));
    expect(entries(a.test)).not.toEqual(entries(c.test));
  });

  it('draws test and validation from independent streams: the test fold ignores validationFraction', () => {
    const big = matrixWithRowSizes(Array.from({ length: 40 }, () => 25), 60);
    const a = holdoutSplit(big, { seed: 9, validationFraction: 0.1 });
    const b = holdoutSplit(big, { seed: 9, validationFraction: 0.3 });
    expect(entries(a.test)).toEqual(entries(b.test));
    expect(b.validation.nnz).toBeGreaterThan(a.validation.nnz);
  });

  it('rejects bad fractions and unknown options', () => {
    expect(() => holdoutSplit(data, { seed: 1, testFraction: 0 })).toThrow(ConfigError);
    expect(() => holdoutSplit(data, { seed: 1, testFraction: 1.2 })).toThrow(/testFraction/);
    expect(() => holdoutSplit(data, { seed: 1, validationFraction: -0.1 })).toThrow(/validationFraction/);
    expect(() => holdoutSplit(data, { seed: 1, testFracton: 0.3 } as never)).toThrow(/unknown option "testFracton"/);
  });
});
