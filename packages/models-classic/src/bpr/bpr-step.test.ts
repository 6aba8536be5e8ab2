import { describe, expect, it } from 'vitest';
import { bprStep } from './bpr-step';

describe('bprStep', () => {
  it('moves every parameter by lr·(σ(−x)·∂x/∂θ − λθ) on a hand-computed triple', () => {
    // user 0 = (0.1, 0.2); positive item 0 = (0.3, −0.1), bias 0.1; negative item 1 = (0.2, 0.4), bias 0.2
    const P = Float32Array.of(0.1, 0.2);
    const Q = Float32Array.of(0.3, -0.1, 0.2, 0.4);
    const bias = Float32Array.of(0.1, 0.2);
    const params = { learningRate: 0.1, userReg: 0.01, posItemReg: 0.02, negItemReg: 0.03, biasReg: 0.04 };
    const x = bprStep(P, Q, bias, 2, 0, 0, 1, params);
    // x = (0.1 − 0.2) + 0.1·(0.3 − 0.2) + 0.2·(−0.1 − 0.4) = −0.19; z = 1/(1 + e^−0.19) = 0.5473576181
    expect(x).toBeCloseTo(-0.19, 6);
    const z = 0.5473576181430894;
    // b_i = 0.1 + 0.1·(z − 0.04·0.1), b_j = 0.2 + 0.1·(−z − 0.04·0.2)
    expect(bias[0]).toBeCloseTo(0.15433576, 6);
    expect(bias[1]).toBeCloseTo(0.14446424, 6);
    // p_u,f = p + 0.1·(z·(q_i,f − q_j,f) − 0.01·p)
    expect(P[0]).toBeCloseTo(0.1 + 0.1 * (z * 0.1 - 0.001), 6);
    expect(P[0]).toBeCloseTo(0.10537358, 6);
    expect(P[1]).toBeCloseTo(0.17243212, 6);
    // q_i,f = q + 0.1·(z·p_u,f − 0.02·q), with p_u before the step
    expect(Q[0]).toBeCloseTo(0.30487358, 6);
    expect(Q[1]).toBeCloseTo(-0.08885285, 6);
    // q_j,f = q + 0.1·(−z·p_u,f − 0.03·q)
    expect(Q[2]).toBeCloseTo(0.19392642, 6);
    expect(Q[3]).toBeCloseTo(0.38785285, 6);
  });

  it('repeated steps without regularisation raise x_uij towards ordering i above j', () => {
    const P = Float32Array.of(0.5, -0.5);
    const Q = Float32Array.of(0, 0, 0.3, 0.3);
    const bias = new Float32Array(2);
    const params = { learningRate: 0.5, userReg: 0, posItemReg: 0, negItemReg: 0, biasReg: 0 };
    const xs: number[] = [];
    for (let t = 0; t < 20; t++) xs.push(bprStep(P, Q, bias, 2, 0, 0, 1, params));
    for (let t = 1; t < xs.length; t++) expect(xs[t]).toBeGreaterThan(xs[t - 1]);
    expect(xs[xs.length - 1]).toBeGreaterThan(1);
  });

  it('touches only the rows of u, i and j', () => {
    const P = Float32Array.of(1, 1, 0.1, 0.2, 1, 1);
    const Q = Float32Array.of(7, 7, 0.3, -0.1, 7, 7, 0.2, 0.4);
    const bias = Float32Array.of(5, 0.1, 5, 0.2);
    bprStep(P, Q, bias, 2, 1, 1, 3, { learningRate: 0.1, userReg: 0.01, posItemReg: 0.01, negItemReg: 0.01, biasReg: 0.01 });
    expect([P[0], P[1], P[4], P[5]]).toEqual([1, 1, 1, 1]);
    expect([Q[0], Q[1], Q[4], Q[5]]).toEqual([7, 7, 7, 7]);
    expect([bias[0], bias[2]]).toEqual([5, 5]);
    expect(P[2]).not.toBe(Math.fround(0.1));
  });
});
