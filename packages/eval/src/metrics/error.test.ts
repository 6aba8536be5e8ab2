import { ConfigError } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { mae, rmse } from './error';

describe('rmse / mae', () => {
  const pred = Float32Array.from([3, 4, 1, 5]);
  const truth = Float32Array.from([2, 4, 3, 5]);

  it('match hand-computed values', () => {
    // errors 1, 0, -2, 0
    expect(rmse(pred, truth)).toBeCloseTo(Math.sqrt((1 + 0 + 4 + 0) / 4), 12);
    expect(mae(pred, truth)).toBe(3 / 4);
  });

  it('are 0 for a perfect prediction and rmse ≥ mae', () => {
    expect(rmse(truth, truth)).toBe(0);
    expect(mae(truth, truth)).toBe(0);
    expect(rmse(pred, truth)).toBeGreaterThanOrEqual(mae(pred, truth));
  });

  it('reject mismatched or empty inputs', () => {
    expect(() => rmse(pred, truth.subarray(1))).toThrow(ConfigError);
    expect(() => mae(new Float32Array(0), new Float32Array(0))).toThrow(/no values/);
  });
});
