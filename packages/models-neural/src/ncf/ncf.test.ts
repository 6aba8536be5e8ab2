import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, ModelFitError, range, saveModelDir } from '@musicrec/core';
import { clusteredInteractions, describeRecommender } from '@musicrec/core/testing';
import { resolveBackend } from '../backend';
import { ncfDefaults, resolveNcfConfig } from './config';
import type { NcfConfig } from './config';
import { ncfFactory } from './factory';
import { NcfRecommender } from './ncf';

/** Small and quick (8 engineers share 2 cores while these run). */
const quick: Partial<NcfConfig> = { factors: 8, mlpLayers: [16, 8], epochs: 10, batchSize: 256, learningRate: 0.03, backend: 'wasm' };
/** Half the suite's default "learns" matrix, same structure. */
const learnData = () => clusteredInteractions({ nUsers: 150, nItems: 100, itemsPerUser: 16 });

describeRecommender('ncf (neumf)', () => new NcfRecommender(quick), { factory: ncfFactory, learnData });
describeRecommender('ncf (gmf)', () => new NcfRecommender({ ...quick, variant: 'gmf' }), { factory: ncfFactory, knownAnswer: false, learnData });

const small = () => clusteredInteractions({ nUsers: 40, nItems: 30, nClusters: 3, itemsPerUser: 8, seed: 11 });

describe('NcfRecommender', () => {
  beforeAll(async () => {
    await resolveBackend({ log: () => {} });
  });

  it('scores equal the forward pass of its inference weights (NeuMF by hand)', async () => {
    const train = small();
    const model = new NcfRecommender({ ...quick, epochs: 2 });
    await model.fit(train, { seed: 3 });
    const w = model.inferenceWeights();
    const scores = model.scoreUsers(Int32Array.of(5, 17));
    const dG = 8;
    const dE = 8;
    for (const [row, u] of [[0, 5], [1, 17]] as const) {
      for (const i of [0, 13, 29]) {
        const x = [...w.mlp!.userEmb.subarray(u * dE, u * dE + dE), ...w.mlp!.itemEmb.subarray(i * dE, i * dE + dE)];
        const layer = w.mlp!.layers[0];
        const h = Array.from({ length: 8 }, (_, j) => Math.max(0, x.reduce((s, xv, k) => s + xv * layer.weight[k * 8 + j], layer.bias[j])));
        let logit = w.output.bias[0];
        for (let f = 0; f < dG; f++) logit += w.gmf!.userEmb[u * dG + f] * w.gmf!.itemEmb[i * dG + f] * w.output.weight[f];
        for (let j = 0; j < 8; j++) logit += h[j] * w.output.weight[dG + j];
        expect(scores[row * train.nItems + i]).toBeCloseTo(logit, 5);
      }
    }
    model.dispose();
  });

  it('GMF factors reproduce its ranking: userFactors · itemFactors + bias = score', async () => {
    const train = small();
    const model = new NcfRecommender({ ...quick, variant: 'gmf', epochs: 2 });
    await model.fit(train, { seed: 3 });
    const uf = model.userFactors!;
    const itf = model.itemFactors!;
    expect(uf.length).toBe(train.nUsers * 8);
    expect(itf.length).toBe(train.nItems * 8);
    const scores = model.scoreUsers(Int32Array.of(4));
    const bias = model.inferenceWeights().output.bias[0];
    for (let i = 0; i < train.nItems; i++) {
      let dot = bias;
      for (let f = 0; f < 8; f++) dot += uf[4 * 8 + f] * itf[i * 8 + f];
      expect(scores[i]).toBeCloseTo(dot, 5);
    }
    expect(new NcfRecommender(quick).userFactors).toBeUndefined();
    model.dispose();
  });

  it('scores users in chunks without leaking tensors across scoreUsers calls', async () => {
    const train = small();
    const model = new NcfRecommender({ ...quick, variant: 'mlp', epochs: 1 });
    await model.fit(train, { seed: 1 });
    const users = range(train.nUsers);
    const first = model.scoreUsers(users);
    const before = tf.memory().numTensors;
    model.scoreUsers(users);
    model.scoreUsers(users, new Float32Array(users.length * train.nItems));
    expect(tf.memory().numTensors).toBe(before);
    // one user at a time gives the same rows as the batch
    expect(model.scoreUsers(Int32Array.of(7))).toEqual(first.subarray(7 * train.nItems, 8 * train.nItems));
    model.dispose();
  });

  it('early-stops on ctx.validate, reports the run in describe() and the backend in params', async () => {
    const train = small();
    const model = new NcfRecommender({ ...quick, epochs: 10, patience: 1 });
    let calls = 0;
    const scripted = [0.2, 0.5, 0.4, 0.3, 0.9];
    await model.fit(train, { seed: 2, validate: () => scripted[calls++] });
    expect(calls).toBe(3);
    expect(model.describe()).toMatchObject({ backend: 'wasm', bestEpoch: 2, epochsRun: 3, bestValidationNdcg: 0.5 });
    // what a refit on train ∪ validation takes
    expect(model.refitParams()).toEqual({ epochs: 2 });
    expect((model.describe().examplesPerSecond as number) > 0).toBe(true);
    expect(model.params.backend).toBe('wasm');
    model.dispose();
  });

  it('scoring before fit is a ModelFitError, an out buffer of the wrong size a RangeError', async () => {
    expect(() => new NcfRecommender(quick).scoreUsers(Int32Array.of(0))).toThrow(ModelFitError);
    const train = small();
    const model = new NcfRecommender({ ...quick, epochs: 1 });
    await model.fit(train, { seed: 1 });
    expect(() => model.scoreUsers(Int32Array.of(0), new Float32Array(3))).toThrow('out has 3 values, expected 1 × 30');
    model.dispose();
  });

  it('load names the array that is missing or of the wrong size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-ncf-'));
    try {
      const params = { ...resolveNcfConfig({ variant: 'gmf', factors: 2 }) };
      await saveModelDir(dir, { name: 'ncf', params, nUsers: 2, nItems: 3 }, { gmfUser: new Float32Array(4), gmfItem: new Float32Array(5) });
      await expect(NcfRecommender.load(dir)).rejects.toThrow(DataError);
      await expect(NcfRecommender.load(dir)).rejects.toThrow('field "arrays.gmfItem": expected gmfItem as 6 float32 values');
      await saveModelDir(dir, { name: 'bpr', params: {} }, {});
      await expect(NcfRecommender.load(dir)).rejects.toThrow('expected an ncf model, found "bpr"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('NCF config', () => {
  it('fills defaults and rejects bad options by name', () => {
    expect(resolveNcfConfig()).toEqual(ncfDefaults);
    expect(resolveNcfConfig().variant).toBe('neumf');
    expect(() => resolveNcfConfig({ variant: 'deep' as 'gmf' })).toThrow('ncf: option "variant" must be one of gmf, mlp, neumf, got "deep"');
    expect(() => resolveNcfConfig({ mlpLayers: [63, 16] })).toThrow(ConfigError);
    expect(() => resolveNcfConfig({ mlpLayers: [64] })).toThrow('option "mlpLayers"');
    expect(() => resolveNcfConfig({ negatives: -1 })).toThrow('option "negatives" must be an integer >= 0, got -1');
    expect(() => resolveNcfConfig({ factor: 8 } as Partial<NcfConfig>)).toThrow('unknown option "factor"');
  });
});
