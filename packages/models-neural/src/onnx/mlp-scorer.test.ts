import { describe, expect, it } from 'vitest';
import { Rng } from '@musicrec/core';
import type { DenseLayer } from './dense-layers';
import { exportMlpScorer } from './mlp-scorer';
import type { MlpScorerWeights } from './mlp-scorer';
import { denseRef, expectClose, runScorer } from './onnx-test-helpers';

const nUsers = 4;
const nItems = 7;

/** The textbook NeuMF forward pass: concat, dense stack, concat branches, output layer. */
function neumfRef(w: MlpScorerWeights, u: number): Float64Array {
  const out = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const parts: number[] = [];
    if (w.gmf) {
      const d = w.gmf.userEmb.length / nUsers;
      for (let f = 0; f < d; f++) parts.push(w.gmf.userEmb[u * d + f] * w.gmf.itemEmb[i * d + f]);
    }
    if (w.mlp) {
      const dU = w.mlp.userEmb.length / nUsers;
      const dI = w.mlp.itemEmb.length / nItems;
      let h: Float64Array = Float64Array.from([...w.mlp.userEmb.subarray(u * dU, u * dU + dU), ...w.mlp.itemEmb.subarray(i * dI, i * dI + dI)]);
      for (const layer of w.mlp.layers) {
        h = denseRef(h, 1, layer.weight, layer.bias, false);
        if (layer.batchNorm) {
          const bn = layer.batchNorm;
          h = h.map((x, j) => ((x - bn.movingMean[j]) / Math.sqrt(bn.movingVariance[j] + bn.epsilon)) * bn.gamma[j] + bn.beta[j]);
        }
        if ((layer.activation ?? 'relu') === 'relu') h = h.map((x) => Math.max(0, x));
      }
      parts.push(...h);
    }
    const logit = denseRef(Float64Array.from(parts), 1, w.output.weight, w.output.bias, false)[0];
    out[i] = w.sigmoid ? 1 / (1 + Math.exp(-logit)) : logit;
  }
  return out;
}

function layer(rng: Rng, inDim: number, outDim: number): DenseLayer {
  return { weight: rng.normalArray(inDim * outDim, 0.5), bias: rng.normalArray(outDim, 0.1) };
}

async function expectMatchesReference(w: MlpScorerWeights): Promise<void> {
  const users = [2, 0, 3];
  const { data, dims } = await runScorer(exportMlpScorer(w), users);
  expect(dims).toEqual([users.length, nItems]);
  const expected = new Float64Array(users.length * nItems);
  users.forEach((u, b) => expected.set(neumfRef(w, u), b * nItems));
  expectClose(data, expected);
}

describe('exportMlpScorer', () => {
  const rng = new Rng(11);
  const gmf = { userEmb: rng.normalArray(nUsers * 3, 1), itemEmb: rng.normalArray(nItems * 3, 1) };
  const mlp = {
    userEmb: rng.normalArray(nUsers * 4, 1),
    itemEmb: rng.normalArray(nItems * 2, 1),
    layers: [layer(rng, 6, 5), layer(rng, 5, 3)],
  };

  it('NeuMF (GMF ⊙ branch + 2-layer MLP branch + output layer) matches the textbook forward pass', async () => {
    await expectMatchesReference({ nUsers, nItems, gmf, mlp, output: layer(rng, 3 + 3, 1) });
  });

  it('NCF-MLP alone, with batch norm in a hidden layer and a sigmoid output', async () => {
    const withBn = layer(rng, 5, 3);
    withBn.batchNorm = {
      gamma: Float32Array.of(1.5, 0.5, -1),
      beta: Float32Array.of(0.1, 0, 0.2),
      movingMean: Float32Array.of(0.3, -0.2, 0),
      movingVariance: Float32Array.of(2, 0.5, 1),
      epsilon: 1e-3,
    };
    await expectMatchesReference({ nUsers, nItems, mlp: { ...mlp, layers: [mlp.layers[0], withBn] }, output: layer(rng, 3, 1), sigmoid: true });
  });

  it('GMF alone, and an MLP branch without hidden layers (output over [u, i] directly)', async () => {
    await expectMatchesReference({ nUsers, nItems, gmf, output: layer(rng, 3, 1) });
    await expectMatchesReference({ nUsers, nItems, mlp: { ...mlp, layers: [] }, output: layer(rng, 6, 1) });
  });

  it('a linear last hidden layer stays linear', async () => {
    const linear = { ...layer(rng, 5, 3), activation: 'linear' as const };
    await expectMatchesReference({ nUsers, nItems, mlp: { ...mlp, layers: [mlp.layers[0], linear] }, output: layer(rng, 3, 1) });
  });

  it('names the size that does not fit', () => {
    expect(() => exportMlpScorer({ nUsers, nItems, gmf, mlp, output: layer(rng, 5, 1) })).toThrow(/expected gmf 3 \+ mlp 3 = 6/);
    expect(() => exportMlpScorer({ nUsers, nItems, mlp: { ...mlp, layers: [layer(rng, 7, 3)] }, output: layer(rng, 3, 1) })).toThrow(
      /layer 0: expects input size 7, \[user, item\] has 4 \+ 2/,
    );
    expect(() => exportMlpScorer({ nUsers, nItems, output: layer(rng, 3, 1) })).toThrow(/gmf branch, an mlp branch, or both/);
  });
});
