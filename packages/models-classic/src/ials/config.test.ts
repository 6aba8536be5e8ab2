import { describe, expect, it } from 'vitest';
import { ConfigError } from '@musicrec/core';
import { ialsDefaults, resolveIalsConfig } from './config';

describe('resolveIalsConfig', () => {
  it('fills in the defaults the reference numbers were measured with', () => {
    const c = resolveIalsConfig({ factors: 32 });
    expect(c).toEqual({ ...ialsDefaults, factors: 32 });
    expect([ialsDefaults.factors, ialsDefaults.alpha, ialsDefaults.regularization]).toEqual([64, 40, 100]);
  });

  it('rejects unknown keys, wrong types and out-of-range values with the option named', () => {
    expect(() => resolveIalsConfig({ factor: 3 } as never)).toThrow(ConfigError);
    expect(() => resolveIalsConfig({ factors: 0 })).toThrow('"factors" must be an integer >= 1');
    expect(() => resolveIalsConfig({ cgSteps: 1.5 })).toThrow('"cgSteps"');
    expect(() => resolveIalsConfig({ alpha: -1 })).toThrow('"alpha" must be a finite number >= 0');
    expect(() => resolveIalsConfig({ threads: 0 })).toThrow('"threads"');
    expect(() => resolveIalsConfig({ solver: 'lu' as never })).toThrow('"solver" must be "cg" or "cholesky"');
    expect(() => resolveIalsConfig({ weighting: 'tfidf' as never })).toThrow('"weighting"');
    expect(() => resolveIalsConfig({ regularization: '1' as never })).toThrow('must be a number');
  });
});
