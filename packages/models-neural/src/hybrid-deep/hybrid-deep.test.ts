import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, Interactions, Rng, recommendTopK, range } from '@musicrec/core';
import { generateSynthetic } from '@musicrec/data';
import { buildItemContent, itemContentDefaults } from '../content';
import { useBackend } from '../backend';
import { resolveHybridDeepConfig, type HybridDeepConfig } from './config';
import { HybridDeepRecommender } from './hybrid-deep';
import { listBatches } from './list-batches';
import { ilsPenalty, listNetLoss } from './listwise-loss';
import { hybridDeepTestConfig } from './test-config';

function softmax(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Synthetic data with a catalog; all interactions of items 0..coldItems-1 removed from train. */
function synthetic(coldItems: number) {
  const data = generateSynthetic({ nUsers: 150, nItems: 80, nInteractions: 2500, nClusters: 4, nGenres: 4, seed: 5 });
  const train = data.interactions.filterEntries((_, k) => data.interactions.indices[k] >= coldItems);
  return { data, train };
}

describe('hybrid-deep losses', () => {
  it('ListNet on a 3-item list equals the hand-computed cross-entropy', async () => {
    await useBackend('wasm');
    // two positives (target 1/2 each), one negative
    const p = softmax([1, 2, 0.5]);
    const expected = -(0.5 * Math.log(p[0]) + 0.5 * Math.log(p[1]));
    const loss = listNetLoss(tf.tensor2d([[1, 2, 0.5]]), tf.tensor2d([[0.5, 0.5, 0]]));
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('ILS penalty equals Σ_{j≠k} p_j p_k cos_jk / Σ_{j≠k} p_j p_k by hand', async () => {
    await useBackend('wasm');
    const r = Math.SQRT1_2;
    // cos(1,2) = 0, cos(1,3) = cos(2,3) = 1/√2; temperature 0.5 doubles the scores
    const p = softmax([2, 4, 1]);
    const num = 2 * (p[0] * p[1] * 0 + p[0] * p[2] * r + p[1] * p[2] * r);
    const den = 1 - (p[0] ** 2 + p[1] ** 2 + p[2] ** 2);
    const ils = ilsPenalty(tf.tensor2d([[1, 2, 0.5]]), tf.tensor3d([[[1, 0], [0, 1], [r, r]]]), 0.5);
    expect(ils.dataSync()[0]).toBeCloseTo(num / den, 5);
    // an item without content (zero row) is dissimilar to everything, itself included
    const q = softmax([0, 0]);
    expect(ilsPenalty(tf.tensor2d([[0, 0]]), tf.tensor3d([[[1, 0], [0, 0]]]), 1).dataSync()[0]).toBeCloseTo(0, 6);
    expect(q[0]).toBeCloseTo(0.5, 6);
  });
});

describe('hybrid-deep lists', () => {
  it('every positive is in exactly one list per epoch, padded with unseen negatives to listSize + negatives', () => {
    const train = Interactions.fromTriples([0, 0, 0, 0, 0, 1, 1, 2, 2], [0, 1, 2, 3, 4, 1, 5, 6, 7], null, ['a', 'b', 'c'], 'pqrstuvwxy'.split(''));
    const positives: string[] = [];
    for (const b of listBatches(train, 3, 2, 8, new Rng(2))) {
      expect(b.listLength).toBe(5);
      for (let r = 0; r < b.users.length; r++) {
        const u = b.users[r];
        const target = Array.from(b.target.subarray(r * 5, r * 5 + 5));
        const nPos = target.filter((t) => t > 0).length;
        expect(target.reduce((s, t) => s + t, 0)).toBeCloseTo(1, 6);
        for (let j = 0; j < 5; j++) {
          const i = b.items[r * 5 + j];
          if (j < nPos) positives.push(`${u}:${i}`);
          else expect(train.has(u, i)).toBe(false);
          // items 8 and 9 have no training interactions and are never drawn as negatives
          expect(i).toBeLessThan(8);
        }
      }
    }
    expect(positives.sort()).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '1:1', '1:5', '2:6', '2:7']);
  });
});

describe('hybrid-deep', () => {
  it('ONNX: scorer equals scoreUsers to 1e-4; the folded-BatchNorm encoder gives a cold item its factors', async () => {
    const { data, train } = synthetic(6);
    const model = new HybridDeepRecommender({ ...hybridDeepTestConfig, epochs: 4, blocks: 2 });
    await model.fit(train, { seed: 3, catalog: data.catalog });
    const users = [0, 9, 33];
    const scorer = await ort.InferenceSession.create(model.toOnnx(), { executionProviders: ['cpu'] });
    const out = await scorer.run({ user: new ort.Tensor('int64', BigInt64Array.from(users.map(BigInt)), [users.length]) });
    const expected = model.scoreUsers(Int32Array.from(users));
    const actual = out.scores.data as Float32Array;
    expect(actual.length).toBe(expected.length);
    for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(1e-4);

    // cold items 0..5: no id embedding, no bias; their factors are the content tower in inference mode
    const content = buildItemContent(data.catalog, train.nItems, { ...itemContentDefaults, tagWidth: model.params.tagWidth });
    const encoder = await ort.InferenceSession.create(model.itemEncoderToOnnx(), { executionProviders: ['cpu'] });
    const enc = await encoder.run({ features: new ort.Tensor('float32', content.values.slice(0, 6 * content.dim), [6, content.dim]) });
    const emb = enc.embedding.data as Float32Array;
    const d = model.params.dim;
    for (let i = 0; i < 6; i++) {
      for (let f = 0; f < d; f++) expect(Math.abs(emb[i * d + f] - model.itemFactors[i * (d + 1) + f])).toBeLessThan(1e-4);
      expect(model.itemFactors[i * (d + 1) + d]).toBe(0);
    }
  });

  it('the ILS penalty lowers the content similarity of the top-10 lists (same seed)', async () => {
    const { data } = synthetic(0);
    const train = data.interactions;
    const content = buildItemContent(data.catalog, train.nItems, itemContentDefaults);
    const ils = async (ilsWeight: number): Promise<number> => {
      const model = new HybridDeepRecommender({ ...hybridDeepTestConfig, ilsWeight, temperature: 0.5 });
      await model.fit(train, { seed: 11, catalog: data.catalog });
      const top = recommendTopK(model, range(train.nUsers), train.nItems, 10, { exclude: train });
      return meanIntraListCosine(top.items, 10, content.values, content.dim);
    };
    expect(await ils(2)).toBeLessThan(await ils(0));
  });

  it('config: unknown keys and bad values are ConfigErrors', () => {
    expect(() => resolveHybridDeepConfig({ ilsweight: 1 } as Partial<HybridDeepConfig>)).toThrow(ConfigError);
    expect(() => resolveHybridDeepConfig({ dropout: 1 })).toThrow(/dropout/);
    expect(() => resolveHybridDeepConfig({ temperature: 0 })).toThrow(/temperature/);
    expect(() => resolveHybridDeepConfig({ listSize: 0 })).toThrow(/listSize/);
    expect(resolveHybridDeepConfig().ilsWeight).toBeGreaterThan(0);
  });
});

/** Mean pairwise cosine of content rows within each list (ILS@k). */
function meanIntraListCosine(lists: Int32Array, k: number, content: Float32Array, dim: number): number {
  let total = 0;
  let n = 0;
  for (let s = 0; s < lists.length; s += k) {
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const i = lists[s + a];
        const j = lists[s + b];
        if (i < 0 || j < 0) continue;
        let dot = 0;
        let ni = 0;
        let nj = 0;
        for (let f = 0; f < dim; f++) {
          dot += content[i * dim + f] * content[j * dim + f];
          ni += content[i * dim + f] ** 2;
          nj += content[j * dim + f] ** 2;
        }
        total += ni > 0 && nj > 0 ? dot / Math.sqrt(ni * nj) : 0;
        n++;
      }
    }
  }
  return total / n;
}
