import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ConfigError, Rng } from '@musicrec/core';
import { exportDotProductScorer } from './dot-product-scorer';
import { expectClose, runScorer } from './onnx-test-helpers';

describe('exportDotProductScorer', () => {
  it('scores a hand-computed 2 users × 3 items case with all biases', async () => {
    // u0 = [1, 2], u1 = [0, -1]; items [1, 0], [0, 1], [1, 1]
    const bytes = exportDotProductScorer({
      userEmbedding: Float32Array.of(1, 2, 0, -1),
      itemEmbedding: Float32Array.of(1, 0, 0, 1, 1, 1),
      dim: 2,
      itemBias: Float32Array.of(0.5, 0, -1),
      userBias: Float32Array.of(10, 20),
      globalBias: 0.25,
    });
    const { data, dims } = await runScorer(bytes, [1, 0]);
    expect(dims).toEqual([2, 3]);
    // u1: dots [0, -1, -1] + itemBias + 20 + .25; u0: dots [1, 2, 3] + itemBias + 10 + .25
    expectClose(data, [20.75, 19.25, 18.25, 11.75, 12.25, 12.25]);
  });

  it('matches the plain dot product on random factors (1e-5), batch of users in any order', async () => {
    const rng = new Rng(7);
    const nUsers = 9, nItems = 23, dim = 5;
    const U = rng.normalArray(nUsers * dim, 1);
    const V = rng.normalArray(nItems * dim, 1);
    const bi = rng.normalArray(nItems, 1);
    const users = [3, 0, 8, 3];
    const { data } = await runScorer(exportDotProductScorer({ userEmbedding: U, itemEmbedding: V, dim, itemBias: bi }), users);
    const expected = new Float64Array(users.length * nItems);
    users.forEach((u, b) => {
      for (let i = 0; i < nItems; i++) {
        let s = bi[i];
        for (let f = 0; f < dim; f++) s += U[u * dim + f] * V[i * dim + f];
        expected[b * nItems + i] = s;
      }
    });
    expectClose(data, expected);
  });

  it('GMF folds into it: (u ⊙ i)·h = (u ⊙ h)·i', async () => {
    const h = Float32Array.of(2, -1);
    const U = Float32Array.of(1, 3);
    const V = Float32Array.of(1, 1, 2, 0.5);
    const scaled = U.map((x, f) => x * h[f]);
    const { data } = await runScorer(exportDotProductScorer({ userEmbedding: scaled, itemEmbedding: V, dim: 2 }), [0]);
    expectClose(data, [1 * 1 * 2 + 3 * 1 * -1, 1 * 2 * 2 + 3 * 0.5 * -1]);
  });

  it('has input "user" and output "scores"; an out-of-range user is an onnxruntime error', async () => {
    const bytes = exportDotProductScorer({ userEmbedding: new Float32Array(4), itemEmbedding: new Float32Array(6), dim: 2 });
    // severity 3: the expected failures below would otherwise print onnxruntime's error log
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
    expect(session.inputNames).toEqual(['user']);
    expect(session.outputNames).toEqual(['scores']);
    await expect(session.run({ user: new ort.Tensor('int64', BigInt64Array.of(5n), [1]) }, { logSeverityLevel: 3 })).rejects.toThrow(/indices|out of bounds|range/i);
    await expect(session.run({ user: new ort.Tensor('int64', BigInt64Array.of(0n, 1n), [1, 2]) }, { logSeverityLevel: 3 })).rejects.toThrow(/rank|dimension|shape/i);
  });

  it('says which array does not fit', () => {
    expect(() => exportDotProductScorer({ userEmbedding: new Float32Array(5), itemEmbedding: new Float32Array(6), dim: 2 })).toThrow(
      /embedding lengths 5 \(users\)/,
    );
    expect(() =>
      exportDotProductScorer({ userEmbedding: new Float32Array(4), itemEmbedding: new Float32Array(6), dim: 2, itemBias: new Float32Array(2) }),
    ).toThrow(ConfigError);
  });
});
