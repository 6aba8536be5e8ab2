import { describe, expect, it } from 'vitest';
import { funkSvdStep } from './funk-svd-step';

describe('funkSvdStep', () => {
  it('moves biases and factors by lr·(e·∂r̂/∂θ − λθ) on a hand-computed rating', () => {
    // μ = 1, b_u = 0.05, b_i = −0.1, p_u = (0.1, 0.2), q_i = (0.3, −0.1), r = 2
    const P = Float32Array.of(0.1, 0.2);
    const Q = Float32Array.of(0.3, -0.1);
    const bu = Float32Array.of(0.05);
    const bi = Float32Array.of(-0.1);
    const e = funkSvdStep(P, Q, bu, bi, 1, 2, 0, 0, 2, { learningRate: 0.1, reg: 0.02, biasReg: 0.05 });
    // r̂ = 1 + 0.05 − 0.1 + (0.03 − 0.02) = 0.96, e = 1.04
    expect(e).toBeCloseTo(1.04, 6);
    // b_u = 0.05 + 0.1·(1.04 − 0.05·0.05) = 0.15375; b_i = −0.1 + 0.1·(1.04 + 0.05·0.1) = 0.0045
    expect(bu[0]).toBeCloseTo(0.15375, 6);
    expect(bi[0]).toBeCloseTo(0.0045, 6);
    // p = p + 0.1·(1.04·q − 0.02·p); q = q + 0.1·(1.04·p_old − 0.02·q)
    expect(P[0]).toBeCloseTo(0.131, 6);
    expect(P[1]).toBeCloseTo(0.1892, 6);
    expect(Q[0]).toBeCloseTo(0.3098, 6);
    expect(Q[1]).toBeCloseTo(-0.079, 6);
  });

  it('an exact prediction without regularisation changes nothing', () => {
    const P = Float32Array.of(0.5, 0.5);
    const Q = Float32Array.of(1, 1);
    const bu = Float32Array.of(0.25);
    const bi = Float32Array.of(0.25);
    const e = funkSvdStep(P, Q, bu, bi, 1, 2, 0, 0, 2.5, { learningRate: 0.3, reg: 0, biasReg: 0 });
    expect(e).toBe(0);
    expect([...P, ...Q, bu[0], bi[0]]).toEqual([0.5, 0.5, 1, 1, 0.25, 0.25]);
  });
});
