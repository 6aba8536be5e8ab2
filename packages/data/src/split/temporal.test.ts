import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, Interactions } from '@musicrec/core';
import { temporalSplit } from './temporal';
import { entries, rowsSortedUnique } from './testMatrices';

describe('temporalSplit', () => {
  // 20 distinct (user, item) pairs over 4 users × 5 items at times 1..20
  const users: number[] = [];
  const items: number[] = [];
  const times: number[] = [];
  for (let t = 0; t < 20; t++) {
    users.push(t % 4);
    items.push(Math.floor(t / 4));
    times.push(t + 1);
  }
  const data = Interactions.fromTriples(users, items, null, ['a', 'b', 'c', 'd'], ['0', '1', '2', '3', '4'], times);

  it('cuts at the time quantiles: 80% train, 10% validation, 10% test by default', () => {
    const s = temporalSplit(data);
    // sorted times 1..20: validation starts at index round(0.8·20) = 16 (time 17), test at index 18 (time 19)
    expect(s.validationStart).toBe(17);
    expect(s.testStart).toBe(19);
    expect(Array.from(s.train.timestamps!).every((t) => t < 17)).toBe(true);
    expect(Array.from(s.validation.timestamps!).sort((a, b) => a - b)).toEqual([17, 18]);
    expect(Array.from(s.test.timestamps!).sort((a, b) => a - b)).toEqual([19, 20]);
    expect([s.train.nnz, s.validation.nnz, s.test.nnz]).toEqual([16, 2, 2]);
    expect([...entries(s.train), ...entries(s.validation), ...entries(s.test)].sort()).toEqual(entries(data).sort());
    expect(entries(s.fullTrain).sort()).toEqual([...entries(s.train), ...entries(s.validation)].sort());
    expect(rowsSortedUnique(s.test)).toBe(true);
    expect(s.protocol).toBe('temporal');
  });

  it('keeps equal timestamps on one side of the cut', () => {
    const tied = Interactions.fromTriples([0, 0, 1, 1, 2], [0, 1, 0, 1, 2], null, ['a', 'b', 'c'], ['x', 'y', 'z'], [1, 2, 2, 2, 3]);
    const s = temporalSplit(tied, { trainFraction: 0.4, validationFraction: 0 });
    // index round(0.4·5) = 2 → time 2: every interaction at time 2 is test
    expect(s.testStart).toBe(2);
    expect(s.train.nnz).toBe(1);
    expect(s.test.nnz).toBe(4);
    expect(s.validation.nnz).toBe(0);
  });

  it('rejects bad fractions, missing timestamps and non-finite times', () => {
    expect(() => temporalSplit(data, { trainFraction: 0.95, validationFraction: 0.1 })).toThrow(ConfigError);
    expect(() => temporalSplit(data, { trainFraction: 0 })).toThrow(/trainFraction/);
    const untimed = Interactions.fromTriples([0], [0], null, ['a'], ['x']);
    expect(() => temporalSplit(untimed)).toThrow(DataError);
    const nan = Interactions.fromTriples([0, 0], [0, 1], null, ['a'], ['x', 'y'], [1, NaN]);
    expect(() => temporalSplit(nan)).toThrow(/user "a", item "y" has timestamp NaN/);
  });
});
