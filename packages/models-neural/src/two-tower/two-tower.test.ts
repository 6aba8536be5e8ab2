import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, Interactions, ModelFitError, Rng, range } from '@musicrec/core';
import { generateSynthetic } from '@musicrec/data';
import { buildItemContent, itemContentDefaults } from '../content';
import { useBackend } from '../backend';
import { resolveTwoTowerConfig, twoTowerDefaults, type TwoTowerConfig } from './config';
import { twoTowerTestConfig } from './test-config';
import { TwoTowerNetwork, duplicateMask } from './network';
import { pairBatches } from './pair-batches';
import { TwoTowerRecommender } from './two-tower';

const small: Partial<TwoTowerConfig> = { ...twoTowerTestConfig, batchSize: 256 };

/** Synthetic data with a catalog; all interactions of items 0..coldItems-1 removed from train. */
function syntheticWithColdItems(coldItems: number) {
  const data = generateSynthetic({ nUsers: 150, nItems: 80, nInteractions: 2500, nClusters: 4, nGenres: 4, seed: 5 });
  const train = data.interactions.filterEntries((_, k) => data.interactions.indices[k] >= coldItems);
  return { data, train };
}

describe('two-tower', () => {
  it('in-batch softmax loss matches the hand-computed value (with and without logQ)', async () => {
    await useBackend('wasm');
    const config = resolveTwoTowerConfig({ dim: 2, contentHidden: 0, temperature: 0.5, logQCorrection: false });
    const shape = { nUsers: 2, nItems: 2, contentDim: 1 };
    const net = new TwoTowerNetwork(shape, new Float32Array(2), Float32Array.of(0.25, 0.75), config, new Rng(1));
    net.userEmbedding.assign(tf.tensor2d([[2, 0], [0, 3]]));
    net.itemEmbedding.assign(tf.tensor2d([[1, 0], [1, 1]]));
    net.layerVars[0].weight.assign(tf.zeros([1, 2]));
    const batch = { users: Int32Array.of(0, 1), items: Int32Array.of(0, 1), history: new Int32Array(0), historyWeight: new Float32Array(0), historyLength: 0 };
    // u = (1,0), (0,1); v = (1,0), (1,1)/√2; logits = cos / 0.5
    const c = Math.SQRT1_2 / 0.5;
    const rows = [Math.log(Math.exp(2) + Math.exp(c)) - 2, Math.log(Math.exp(0) + Math.exp(c)) - c];
    expect(net.loss(batch).dataSync()[0]).toBeCloseTo((rows[0] + rows[1]) / 2, 5);
    const withQ = new TwoTowerNetwork(shape, new Float32Array(2), Float32Array.of(0.25, 0.75), { ...config, logQCorrection: true }, new Rng(1));
    for (let k = 0; k < net.variables.length; k++) withQ.variables[k].assign(net.variables[k]);
    const a = 2 - Math.log(0.25);
    const b = c - Math.log(0.75);
    const rowsQ = [Math.log(Math.exp(a) + Math.exp(b)) - a, Math.log(Math.exp(-Math.log(0.25)) + Math.exp(b)) - b];
    expect(withQ.loss(batch).dataSync()[0]).toBeCloseTo((rowsQ[0] + rowsQ[1]) / 2, 5);
    net.dispose();
    withQ.dispose();
  });

  it('duplicate mask: a repeated positive is masked in the other rows of its item only', () => {
    expect(duplicateMask(Int32Array.of(1, 2, 3))).toBeNull();
    const m = duplicateMask(Int32Array.of(3, 5, 3, 5, 3))!;
    const masked: string[] = [];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) if (m[r * 5 + c] !== 0) masked.push(`${r}${c}`);
    expect(masked).toEqual(['02', '04', '13', '20', '24', '31', '40', '42']);
  });

  it('pair batches: every training pair once per epoch; history = other items of the user, weights summing to 1', () => {
    const train = Interactions.fromTriples([0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 3, 0], null, ['a', 'b', 'c'], ['w', 'x', 'y', 'z']);
    const seen: string[] = [];
    for (const b of pairBatches(train, 4, 3, new Rng(3))) {
      for (let r = 0; r < b.users.length; r++) {
        const u = b.users[r];
        seen.push(`${u}:${b.items[r]}`);
        const hist = Array.from(b.history.subarray(r * 3, r * 3 + 3)).filter((_, t) => b.historyWeight[r * 3 + t] > 0);
        expect(hist).not.toContain(b.items[r]);
        expect(hist.length).toBe(train.rowLength(u) - 1);
        for (const i of hist) expect(train.has(u, i)).toBe(true);
        const w = b.historyWeight.subarray(r * 3, r * 3 + 3).reduce((s, x) => s + x, 0);
        expect(w).toBeCloseTo(hist.length > 0 ? 1 : 0, 6);
      }
    }
    expect(seen.sort()).toEqual(['0:0', '0:1', '0:2', '1:1', '1:3', '2:0']);
  });

  it('cold item: an item with no training interactions gets its content embedding, near its own cluster', async () => {
    const { data, train } = syntheticWithColdItems(8);
    const model = new TwoTowerRecommender({ ...small, historyLength: 0 });
    await model.fit(train, { seed: 42, catalog: data.catalog });
    const content = buildItemContent(data.catalog, train.nItems, { ...itemContentDefaults, tagWidth: model.params.tagWidth });
    const d = model.params.dim;
    const fromContent = model.itemEmbeddingFromContent(content.values.slice(0, 8 * content.dim), 8);
    for (let k = 0; k < 8 * d; k++) expect(fromContent[k]).toBeCloseTo(model.itemFactors[k], 4);
    // mean cosine to warm items of the same latent cluster beats the mean to the other clusters
    const cluster = data.latent.itemCluster;
    let wins = 0;
    for (let i = 0; i < 8; i++) {
      const sums = [0, 0];
      const counts = [0, 0];
      for (let j = 8; j < train.nItems; j++) {
        let cos = 0;
        for (let f = 0; f < d; f++) cos += model.itemFactors[i * d + f] * model.itemFactors[j * d + f];
        const same = cluster[i] === cluster[j] ? 0 : 1;
        sums[same] += cos;
        counts[same]++;
      }
      if (sums[0] / counts[0] > sums[1] / counts[1]) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(7);
  });

  it('cold user: scoreFromItems over one cluster recommends mostly that cluster', async () => {
    const { data } = syntheticWithColdItems(0);
    const model = new TwoTowerRecommender(small);
    await model.fit(data.interactions, { seed: 42, catalog: data.catalog });
    const cluster = data.latent.itemCluster;
    const liked = Array.from(range(data.interactions.nItems)).filter((i) => cluster[i] === 1).slice(0, 5);
    const scores = model.scoreFromItems(Int32Array.from(liked));
    const order = Array.from(range(scores.length)).filter((i) => !liked.includes(i)).sort((a, b) => scores[b] - scores[a]).slice(0, 10);
    expect(order.filter((i) => cluster[i] === 1).length).toBeGreaterThanOrEqual(7);
    expect(() => model.scoreFromItems(Int32Array.of(data.interactions.nItems))).toThrow(RangeError);
  });

  it('cold user: weights weigh the basket (all weight on one item = that item alone), out is filled and returned', async () => {
    const { data } = syntheticWithColdItems(0);
    const model = new TwoTowerRecommender(small);
    await model.fit(data.interactions, { seed: 42, catalog: data.catalog });
    const n = data.interactions.nItems;
    const pair = Int32Array.of(3, 17);
    const onlyFirst = model.scoreFromItems(pair, Float32Array.of(1, 0));
    expect(onlyFirst).toEqual(model.scoreFromItems(Int32Array.of(3)));
    expect(model.scoreFromItems(pair, Float32Array.of(2, 2))).toEqual(model.scoreFromItems(pair));
    expect(model.scoreFromItems(pair, Float32Array.of(1, 3))).not.toEqual(model.scoreFromItems(pair));
    const out = new Float32Array(n);
    expect(model.scoreFromItems(pair, undefined, out)).toBe(out);
    expect(out).toEqual(model.scoreFromItems(pair));
    expect(() => model.scoreFromItems(pair, undefined, new Float32Array(n - 1))).toThrow(/out has length/);
    expect(() => model.scoreFromItems(pair, Float32Array.of(1))).toThrow(/1 weights for 2 liked items/);
  });

  it('ONNX export: onnxruntime-node scores equal scoreUsers to 1e-4; the item encoder equals itemEmbeddingFromContent', async () => {
    const { data } = syntheticWithColdItems(0);
    const model = new TwoTowerRecommender({ ...small, epochs: 3 });
    await model.fit(data.interactions, { seed: 7, catalog: data.catalog });
    const users = [0, 5, 17];
    const session = await ort.InferenceSession.create(model.toOnnx(), { executionProviders: ['cpu'] });
    const out = await session.run({ user: new ort.Tensor('int64', BigInt64Array.from(users.map(BigInt)), [users.length]) });
    const expected = model.scoreUsers(Int32Array.from(users));
    const actual = out.scores.data as Float32Array;
    expect(actual.length).toBe(expected.length);
    for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(1e-4);

    const content = buildItemContent(data.catalog, data.interactions.nItems, { ...itemContentDefaults, tagWidth: model.params.tagWidth });
    const rows = content.values.slice(0, 4 * content.dim);
    const encoder = await ort.InferenceSession.create(model.itemEncoderToOnnx(), { executionProviders: ['cpu'] });
    const enc = await encoder.run({ features: new ort.Tensor('float32', rows, [4, content.dim]) });
    const js = model.itemEmbeddingFromContent(rows, 4);
    const onnx = enc.embedding.data as Float32Array;
    for (let k = 0; k < js.length; k++) expect(Math.abs(onnx[k] - js[k])).toBeLessThan(1e-4);
  });

  it('describe() reports backend, best epoch and throughput', async () => {
    const { data } = syntheticWithColdItems(0);
    const model = new TwoTowerRecommender({ ...small, epochs: 2 });
    await model.fit(data.interactions, { seed: 1, catalog: data.catalog });
    const info = model.describe();
    expect(info.backend).toBe('wasm');
    expect(info.bestEpoch).toBe(2);
    expect(info.examplesPerSecond).toBeGreaterThan(0);
    // no validation: nothing chosen for a refit
    expect(model.refitParams()).toEqual({});
  });

  it('similarItems: cosine over the item embeddings, the item itself left out', () => {
    const model = new TwoTowerRecommender({ dim: 2 });
    expect(() => model.similarItems(0, 1)).toThrow(ModelFitError);
    // unit rows at 0°, 90°, 30°, 180°: cosines to item 0 are 0, cos 30° = √3/2, −1
    model.itemFactors = Float32Array.of(1, 0, 0, 1, Math.sqrt(3) / 2, 0.5, -1, 0);
    const r = model.similarItems(0, 4);
    expect(Array.from(r.items)).toEqual([2, 1, 3, -1]);
    expect(r.scores[0]).toBeCloseTo(Math.sqrt(3) / 2, 6);
    expect(r.scores[1]).toBeCloseTo(0, 6);
    expect(r.scores[2]).toBeCloseTo(-1, 6);
    expect(Array.from(model.similarItems(1, 1).items)).toEqual([2]);
  });

  it('refitParams: the epoch early stopping kept on validation', async () => {
    const { data } = syntheticWithColdItems(0);
    const model = new TwoTowerRecommender({ ...small, epochs: 5, patience: 1 });
    const scripted = [0.2, 0.5, 0.4, 0.9];
    let calls = 0;
    await model.fit(data.interactions, { seed: 1, catalog: data.catalog, validate: () => scripted[calls++] });
    expect(calls).toBe(3);
    expect(model.refitParams()).toEqual({ epochs: 2 });
    model.dispose();
  });

  it('config: unknown keys and bad values are ConfigErrors', () => {
    expect(() => resolveTwoTowerConfig({ temprature: 1 } as Partial<TwoTowerConfig>)).toThrow(ConfigError);
    expect(() => resolveTwoTowerConfig({ temperature: 0 })).toThrow(/temperature/);
    expect(() => resolveTwoTowerConfig({ batchSize: 1 })).toThrow(/batchSize/);
    expect(() => resolveTwoTowerConfig({ backend: 'gpu' as TwoTowerConfig['backend'] })).toThrow(/backend/);
    expect(twoTowerDefaults.epochs).toBeGreaterThan(0);
  });
});
