import { describe, expect, it } from 'vitest';
import { clusteredInteractions } from '@musicrec/core/testing';
import { exportMlpScorer } from '../onnx';
import { expectClose, runScorer } from '../onnx/onnx-test-helpers';
import type { NcfVariant } from './config';
import { NcfRecommender } from './ncf';

const train = clusteredInteractions({ nUsers: 40, nItems: 30, nClusters: 3, itemsPerUser: 8, seed: 11 });

describe.each(['neumf', 'gmf', 'mlp'] as NcfVariant[])('NCF %s → ONNX', (variant) => {
  it('the exported scorer gives the TF.js scores in onnxruntime', async () => {
    const model = new NcfRecommender({ variant, factors: 4, mlpLayers: [8, 6, 4], epochs: 2, batchSize: 256, learningRate: 0.02 });
    await model.fit(train, { seed: 5 });
    const users = [0, 17, 39];
    const { data, dims } = await runScorer(exportMlpScorer(model.inferenceWeights()), users);
    expect(dims).toEqual([users.length, train.nItems]);
    expectClose(data, model.scoreUsers(Int32Array.from(users)), 1e-4);
    model.dispose();
  });
});
