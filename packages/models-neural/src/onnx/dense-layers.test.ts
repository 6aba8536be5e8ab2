import { describe, expect, it } from 'vitest';
import { Rng } from '@musicrec/core';
import { foldBatchNorm } from './dense-layers';
import type { DenseLayer } from './dense-layers';
import { exportItemEncoder } from './item-encoder';
import { denseRef, expectClose, runFloat } from './onnx-test-helpers';

describe('foldBatchNorm', () => {
  it('folds BN into the affine map (hand-computed)', () => {
    // one input, two outputs: z = [2x + 1, -x]; s = gamma / sqrt(var + eps) = [2/2, 1/1] with eps 0
    const folded = foldBatchNorm({
      weight: Float32Array.of(2, -1),
      bias: Float32Array.of(1, 0),
      batchNorm: {
        gamma: Float32Array.of(2, 1),
        beta: Float32Array.of(0.5, -3),
        movingMean: Float32Array.of(1, 4),
        movingVariance: Float32Array.of(4, 1),
        epsilon: 0,
      },
    });
    expect(Array.from(folded.weight)).toEqual([2, -1]);
    // (1 − 1)·1 + 0.5 = 0.5; (0 − 4)·1 − 3 = −7
    expect(Array.from(folded.bias)).toEqual([0.5, -7]);
    expect(folded.batchNorm).toBeUndefined();
  });

  it('names the BN array of the wrong length', () => {
    const bn = { gamma: new Float32Array(1), beta: new Float32Array(2), movingMean: new Float32Array(2), movingVariance: new Float32Array(2), epsilon: 1e-3 };
    expect(() => foldBatchNorm({ weight: new Float32Array(4), bias: new Float32Array(2), batchNorm: bn }, 'tower l0')).toThrow(
      /tower l0: batchNorm.gamma has 1 values, expected 2/,
    );
  });
});

describe('exportItemEncoder (dense → residual block with BN → L2 normalise)', () => {
  const rng = new Rng(5);
  const layer = (i: number, o: number): DenseLayer => ({ weight: rng.normalArray(i * o, 0.6), bias: rng.normalArray(o, 0.1) });
  const first = layer(4, 6);
  const inner1 = { ...layer(6, 6), batchNorm: { gamma: rng.normalArray(6, 1), beta: rng.normalArray(6, 0.1), movingMean: rng.normalArray(6, 0.2), movingVariance: Float32Array.from({ length: 6 }, (_, j) => 0.5 + j / 4), epsilon: 1e-3 } };
  const inner2 = layer(6, 3);
  const projection = layer(6, 3);
  const spec = { featureDim: 4, stages: [{ dense: first }, { residual: { layers: [inner1, inner2], projection, postActivation: 'relu' as const } }] };

  function reference(x: Float64Array, rows: number): Float64Array {
    const h0 = denseRef(x, rows, first.weight, first.bias, true);
    let h1 = denseRef(h0, rows, inner1.weight, inner1.bias, false);
    const bn = inner1.batchNorm;
    h1 = h1.map((v, k) => {
      const j = k % 6;
      return Math.max(0, ((v - bn.movingMean[j]) / Math.sqrt(bn.movingVariance[j] + bn.epsilon)) * bn.gamma[j] + bn.beta[j]);
    });
    const h2 = denseRef(h1, rows, inner2.weight, inner2.bias, true);
    const shortcut = denseRef(h0, rows, projection.weight, projection.bias, false);
    const y = h2.map((v, k) => Math.max(0, v + shortcut[k]));
    for (let r = 0; r < rows; r++) {
      const norm = Math.max(Math.hypot(y[r * 3], y[r * 3 + 1], y[r * 3 + 2]), 1e-6);
      for (let j = 0; j < 3; j++) y[r * 3 + j] /= norm;
    }
    return y;
  }

  it('matches the unfolded forward pass to 1e-5 and outputs unit rows', async () => {
    const rows = 5;
    const x = rng.normalArray(rows * 4, 1);
    const { data, dims } = await runFloat(exportItemEncoder(spec), 'features', x, [rows, 4]);
    expect(dims).toEqual([rows, 3]);
    const expected = reference(Float64Array.from(x), rows);
    expectClose(data, expected);
  });

  it('an all-zero embedding stays zero (no NaN from the normalisation)', async () => {
    const zero: DenseLayer = { weight: new Float32Array(4 * 2), bias: new Float32Array(2), activation: 'linear' };
    const { data } = await runFloat(exportItemEncoder({ featureDim: 4, stages: [{ dense: zero }] }), 'features', Float32Array.of(1, 2, 3, 4), [1, 4]);
    expect(Array.from(data)).toEqual([0, 0]);
  });

  it('identity residual block without normalisation: x + relu(x·W + b)', async () => {
    const w: DenseLayer = { weight: Float32Array.of(1, 0, 0, -1), bias: Float32Array.of(0, 0) };
    const bytes = exportItemEncoder({ featureDim: 2, stages: [{ residual: { layers: [w] } }], l2Normalize: false });
    const { data } = await runFloat(bytes, 'features', Float32Array.of(3, 2), [1, 2]);
    expect(Array.from(data)).toEqual([6, 2]);
  });

  it('rejects a residual block whose output size differs without a projection', () => {
    expect(() => exportItemEncoder({ featureDim: 6, stages: [{ residual: { layers: [inner2] } }] })).toThrow(/output size 3 differs from input size 6/);
  });
});
