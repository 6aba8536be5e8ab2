import { ConfigError, DataError, ModelFitError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import type { DenseMatrix } from '../matrix';
import { IqrCapper } from './iqr-capper';
import { LogTransform } from './log-transform';
import { RobustScaler } from './robust-scaler';
import { StandardScaler } from './standard-scaler';

// Column a: finite values 1, 2, 3, 4, 100 (sorted) → mean 22, population variance 7610/5 = 1522,
// median 3, Q1 2, Q3 4 (linear interpolation at positions 1 and 3), IQR 2. Column b is constant.
const m: DenseMatrix = {
  rows: 6,
  cols: 2,
  columns: ['a', 'b'],
  values: Float32Array.from([1, 5, 2, 5, 3, 5, 4, 5, NaN, 5, 100, 5]),
};
const col = (x: DenseMatrix, c: number) => Array.from({ length: x.rows }, (_, r) => x.values[r * x.cols + c]);

describe('StandardScaler', () => {
  it('centres on the mean, scales by the population std, imputes the median, leaves constant columns at 0', () => {
    const s = new StandardScaler().fit(m);
    expect(s.fitted.center[0]).toBe(22);
    expect(s.fitted.scale[0]).toBeCloseTo(Math.sqrt(1522), 12);
    const z = s.transform(m);
    const std = Math.sqrt(1522);
    const expected = [1, 2, 3, 4, 3, 100].map((x) => (x - 22) / std);
    col(z, 0).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(col(z, 1)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('imputes the mean when asked (the missing row maps to exactly 0)', () => {
    expect(col(new StandardScaler({ impute: 'mean' }).fit(m).transform(m), 0)[4]).toBe(0);
    expect(Number.isNaN(col(new StandardScaler({ impute: 'keep' }).fit(m).transform(m), 0)[4])).toBe(true);
  });

  it('inverts its transform', () => {
    const s = new StandardScaler().fit(m);
    const back = s.inverseTransform(s.transform(m));
    [1, 2, 3, 4, 3, 100].forEach((x, i) => expect(col(back, 0)[i]).toBeCloseTo(x, 4));
  });

  it('fits only on the masked rows', () => {
    const s = new StandardScaler().fit(m, Uint8Array.from([1, 1, 1, 0, 0, 0]));
    expect(s.fitted.center[0]).toBe(2); // mean of 1, 2, 3
  });

  it('round-trips through its state', () => {
    const s = new StandardScaler({ impute: 'mean' }).fit(m);
    expect(StandardScaler.fromState(s.toState()).transform(m).values).toEqual(s.transform(m).values);
  });

  it('rejects an unknown imputation, a wrong width, infinities, and use before fit', () => {
    expect(() => new StandardScaler({ impute: 'mode' as never })).toThrow(ConfigError);
    expect(() => new StandardScaler({ imputee: 'mean' } as never)).toThrow(/unknown option "imputee"/);
    const s = new StandardScaler().fit(m);
    expect(() => s.transform({ rows: 1, cols: 3, values: new Float32Array(3) })).toThrow(/fitted on 2 columns, got 3/);
    const bad = { ...m, values: m.values.slice() };
    bad.values[3] = Infinity;
    const err = (() => { try { new StandardScaler().fit(bad); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(DataError);
    expect(err).toMatchObject({ field: 'b' });
    expect((err as Error).message).toMatch(/row 1/);
    expect(() => new StandardScaler().transform(m)).toThrow(ModelFitError);
  });
});

describe('RobustScaler', () => {
  it('centres on the median and scales by the IQR', () => {
    const z = new RobustScaler().fit(m).transform(m);
    expect(col(z, 0)).toEqual([-1, -0.5, 0, 0.5, 0, 48.5]);
    expect(col(z, 1)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('inverts its transform and round-trips through its state', () => {
    const s = new RobustScaler().fit(m);
    expect(col(s.inverseTransform(s.transform(m)), 0)).toEqual([1, 2, 3, 4, 3, 100]);
    expect(RobustScaler.fromState(s.toState()).transform(m).values).toEqual(s.transform(m).values);
  });
});

describe('IqrCapper', () => {
  it('clips to [Q1 − 1.5·IQR, Q3 + 1.5·IQR] = [−1, 7] and imputes the median', () => {
    const c = new IqrCapper().fit(m);
    expect(Array.from(c.fitted.lower)).toEqual([-1, 5]);
    expect(Array.from(c.fitted.upper)).toEqual([7, 5]);
    expect(col(c.transform(m), 0)).toEqual([1, 2, 3, 4, 3, 7]);
    expect(Array.from(c.countOutliers(m))).toEqual([1, 0]);
  });

  it('uses the configured factor', () => {
    const c = new IqrCapper({ factor: 0.5 }).fit(m); // fences 2 − 1 = 1 and 4 + 1 = 5
    expect(col(c.transform(m), 0)).toEqual([1, 2, 3, 4, 3, 5]);
    expect(() => new IqrCapper({ factor: -1 })).toThrow(/factor/);
  });

  it('round-trips through its state', () => {
    const c = new IqrCapper({ factor: 3 }).fit(m);
    const back = IqrCapper.fromState(c.toState());
    expect(back.config.factor).toBe(3);
    expect(back.transform(m).values).toEqual(c.transform(m).values);
  });
});

describe('LogTransform', () => {
  it('is log1p on non-negative columns and shifts negative ones so the minimum maps to 0', () => {
    const x: DenseMatrix = { rows: 3, cols: 2, values: Float32Array.from([0, -60, Math.E - 1, -10, NaN, 0]) };
    const t = new LogTransform().fit(x);
    expect(Array.from(t.shift)).toEqual([0, 60]);
    const y = t.transform(x);
    expect(y.values[0]).toBe(0);
    expect(y.values[1]).toBe(0);
    expect(y.values[2]).toBeCloseTo(1, 6);
    expect(y.values[3]).toBeCloseTo(Math.log(51), 6);
    expect(Number.isNaN(y.values[4])).toBe(true);
    expect(y.values[5]).toBeCloseTo(Math.log(61), 6);
    // below the fitted minimum: clamped to it
    expect(t.transform({ rows: 1, cols: 2, values: Float32Array.from([-5, -100]) }).values).toEqual(Float32Array.from([0, 0]));
  });

  it('inverts its transform and round-trips through its state', () => {
    const x: DenseMatrix = { rows: 2, cols: 1, values: Float32Array.from([3, 200000]) };
    const t = new LogTransform().fit(x);
    const back = t.inverseTransform(t.transform(x));
    expect(back.values[0]).toBeCloseTo(3, 4);
    expect(back.values[1] / 200000).toBeCloseTo(1, 5);
    expect(LogTransform.fromState(t.toState()).transform(x).values).toEqual(t.transform(x).values);
  });
});
