import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { leaveLastOutSequences } from '@musicrec/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend';
import { ONNX_SCORES_OUTPUT } from '../onnx/scorer-io';
import { SASREC_ONNX_INPUT } from './onnx-export';
import { SasRecRecommender } from './sasrec';
import { successorSequences } from './test-sequences';

describe('SASRec ONNX export', () => {
  beforeAll(async () => {
    await resolveBackend({ order: ['wasm'] });
    await tf.setBackend('wasm');
  });

  it('scores like the TF.js model in onnxruntime (CPU), short and full histories alike', async () => {
    const nItems = 15;
    const split = leaveLastOutSequences(successorSequences(30, nItems, 3, 12, 9));
    const model = new SasRecRecommender({ factors: 8, heads: 2, blocks: 2, maxLen: 6, epochs: 2, batchSize: 16, backend: 'wasm' });
    await model.fitSequences(split, { seed: 3, nItems });
    const users = [0, 1, 2, 3, 4, 5];
    const windows = new BigInt64Array(users.length * 6);
    users.forEach((u, r) => windows.set(model.historyWindow(u), r * 6));
    const session = await ort.InferenceSession.create(model.toOnnx(), { executionProviders: ['cpu'] });
    const out = await session.run({ [SASREC_ONNX_INPUT]: new ort.Tensor('int64', windows, [users.length, 6]) });
    const onnxScores = out[ONNX_SCORES_OUTPUT].data as Float32Array;
    expect(out[ONNX_SCORES_OUTPUT].dims).toEqual([users.length, nItems]);
    const tfScores = model.scoreUsers(Int32Array.from(users));
    let worst = 0;
    for (let k = 0; k < tfScores.length; k++) worst = Math.max(worst, Math.abs(onnxScores[k] - tfScores[k]));
    expect(worst).toBeLessThan(1e-4);
    model.dispose();
  }, 30_000);
});
