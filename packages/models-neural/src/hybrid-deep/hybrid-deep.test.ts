import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, Interactions, Rng, recommendTopK, range } from '@musicrec/core';
import { generateSynthetic } from '@musicrec/data';
import { buildItemContent, itemContentDefaults } from '../content';
import { useBackend } from '../backend';
import { resolveHybridDeepConfig, type HybridDeepConfig } from './config';
import { HybridDeepRecommender } from './hybrid-deep';
import { coldItemOffsets } from './cold-item-offsets';
import { listBatches, samplerLogProbabilities } from './list-batches';
import { HybridDeepNetwork } from './network';
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

  it('logQ is the log probability of the negative sampler: popularity share mixed with uniform over warm items', () => {
    // counts 3, 1, 0, 4 over nnz 8, 3 warm items, half popular
    const logQ = samplerLogProbabilities(Int32Array.of(3, 1, 0, 4), 3, 8, 0.5);
    expect(logQ[0]).toBeCloseTo(Math.log(0.5 * 3 / 8 + 0.5 / 3), 6);
    expect(logQ[1]).toBeCloseTo(Math.log(0.5 * 1 / 8 + 0.5 / 3), 6);
    expect(logQ[2]).toBe(0);
    expect(logQ[3]).toBeCloseTo(Math.log(0.5 * 4 / 8 + 0.5 / 3), 6);
    // uniform sampler: the same constant everywhere, so the correction leaves the softmax alone
    expect(Array.from(samplerLogProbabilities(Int32Array.of(2, 5), 2, 7, 0)).map((v) => v.toFixed(6))).toEqual([Math.log(0.5).toFixed(6), Math.log(0.5).toFixed(6)]);
  });

  it('popular negatives follow the item counts; every list slot carries its logQ', () => {
    // user 0 has item 0; items 1 (50 plays) and 2 (1 play) are the negatives to draw
    const users = [0, ...Array.from({ length: 50 }, () => 1), 2];
    const items = [0, ...Array.from({ length: 50 }, () => 1), 2];
    const train = Interactions.fromTriples(
      users.map((u, k) => (k === 0 ? 0 : u === 1 ? 1 + (k % 50) : 51)),
      items,
      null,
      Array.from({ length: 52 }, (_, u) => `u${u}`),
      ['a', 'b', 'c'],
    );
    const counts = train.itemCounts();
    const logQ = samplerLogProbabilities(counts, 3, train.nnz, 1);
    let popular = 0;
    let rare = 0;
    for (let e = 0; e < 40; e++) {
      for (const b of listBatches(train, 1, 4, 64, new Rng(e), 1)) {
        for (let r = 0; r < b.users.length; r++) {
          for (let j = 0; j < 5; j++) {
            const i = b.items[r * 5 + j];
            expect(b.logQ[r * 5 + j]).toBe(logQ[i]);
            if (b.users[r] === 0 && j > 0) (i === 1 ? popular++ : rare++);
          }
        }
      }
    }
    // P(item 1 | not item 0) = 50/51 under pure popularity sampling
    expect(popular + rare).toBe(160);
    expect(popular / 160).toBeGreaterThan(0.9);
  });
});

describe('hybrid-deep cold items', () => {
  it('an item without training interactions gets the mean id embedding and bias of the warm items', () => {
    // width 3 (dim 2 + bias); items 0 and 2 warm, 1 and 3 cold
    const offsets = Float32Array.of(1, 2, -1, 9, 9, 9, 3, -2, 0, 0, 0, 0);
    const out = coldItemOffsets(offsets, 3, Int32Array.of(4, 0, 1, 0));
    expect(Array.from(out)).toEqual([1, 2, -1, 2, 0, -0.5, 3, -2, 0, 2, 0, -0.5]);
    // nothing warm: left as it is
    expect(Array.from(coldItemOffsets(offsets, 3, new Int32Array(4)))).toEqual(Array.from(offsets));
  });
});

describe('hybrid-deep BatchNorm', () => {
  it('recalibration sets the inference statistics to the mean and variance over the whole catalogue', async () => {
    await useBackend('wasm');
    const nItems = 7;
    const contentDim = 3;
    const rng = new Rng(4);
    const content = rng.normalArray(nItems * contentDim, 1);
    const network = new HybridDeepNetwork({ nUsers: 2, nItems, contentDim }, content, resolveHybridDeepConfig({ dim: 2, hidden: 4, blocks: 1 }), new Rng(5));
    try {
      network.recalibrateBatchNorm();
      const t = network.tower();
      const block = t.blocks[0].layers[0];
      const z: number[][] = [];
      for (let i = 0; i < nItems; i++) {
        const h = [0, 1, 2, 3].map((o) => Math.max(0, t.input.bias[o] + [0, 1, 2].reduce((s, c) => s + content[i * 3 + c] * t.input.weight[c * 4 + o], 0)));
        z.push([0, 1, 2, 3].map((o) => block.bias[o] + h.reduce((s, v, c) => s + v * block.weight[c * 4 + o], 0)));
      }
      for (let o = 0; o < 4; o++) {
        const mean = z.reduce((s, r) => s + r[o], 0) / nItems;
        const variance = z.reduce((s, r) => s + (r[o] - mean) ** 2, 0) / nItems;
        expect(block.batchNorm!.movingMean[o]).toBeCloseTo(mean, 4);
        expect(block.batchNorm!.movingVariance[o]).toBeCloseTo(variance, 4);
      }
    } finally {
      network.dispose();
    }
  });
});

describe('hybrid-deep', () => {
  it('cold user: the weighted basket mean with the bias column at 1; weights and out honoured', async () => {
    const { data, train } = synthetic(6);
    const model = new HybridDeepRecommender({ ...hybridDeepTestConfig, epochs: 1 });
    await model.fit(train, { seed: 3, catalog: data.catalog });
    const F = model.factorDim;
    const n = train.nItems;
    const v = model.itemFactors;
    // by hand: weights 1 and 3 on items 2 and 5 → user = (v2 + 3·v5) / 4 on the factor columns, 1 on the bias column
    const user = new Float64Array(F);
    for (let f = 0; f + 1 < F; f++) user[f] = (v[2 * F + f] + 3 * v[5 * F + f]) / 4;
    user[F - 1] = 1;
    const out = new Float32Array(n);
    const scores = model.scoreFromItems(Int32Array.of(2, 5), Float32Array.of(1, 3), out);
    expect(scores).toBe(out);
    for (const i of [0, 7, n - 1]) {
      let s = 0;
      for (let f = 0; f < F; f++) s += user[f] * v[i * F + f];
      expect(scores[i]).toBeCloseTo(s, 4);
    }
    expect(() => model.scoreFromItems(Int32Array.of(2), undefined, new Float32Array(3))).toThrow(/out has length 3/);
    // no validation: nothing chosen for a refit
    expect(model.refitParams()).toEqual({});
  });

  it('refitParams: the epoch early stopping kept on validation', async () => {
    const { data, train } = synthetic(0);
    const model = new HybridDeepRecommender({ ...hybridDeepTestConfig, epochs: 5, patience: 1 });
    const scripted = [0.2, 0.5, 0.4, 0.9];
    let calls = 0;
    await model.fit(train, { seed: 3, catalog: data.catalog, validate: () => scripted[calls++] });
    expect(calls).toBe(3);
    expect(model.refitParams()).toEqual({ epochs: 2 });
    model.dispose();
  });

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

    // the encoder is the content tower in inference mode; what an item's factors add to it is
    // its id embedding and bias, and for cold items 0..5 exactly the warm items' mean of those
    const content = buildItemContent(data.catalog, train.nItems, { ...itemContentDefaults, tagWidth: model.params.tagWidth });
    const encoder = await ort.InferenceSession.create(model.itemEncoderToOnnx(), { executionProviders: ['cpu'] });
    const enc = await encoder.run({ features: new ort.Tensor('float32', content.values, [train.nItems, content.dim]) });
    const emb = enc.embedding.data as Float32Array;
    const d = model.params.dim;
    const F = d + 1;
    const offset = (i: number, f: number): number => model.itemFactors[i * F + f] - (f < d ? emb[i * d + f] : 0);
    for (let f = 0; f < F; f++) {
      let warmMean = 0;
      for (let i = 6; i < train.nItems; i++) warmMean += offset(i, f) / (train.nItems - 6);
      for (let i = 0; i < 6; i++) expect(Math.abs(offset(i, f) - warmMean)).toBeLessThan(1e-4);
    }
    // the warm items' biases moved, so a cold item's bias is not the untouched 0 any more
    expect(model.itemFactors[d]).not.toBe(0);
  });

  it('with equal content an item nobody played scores like the average played item, not above it', async () => {
    const { data, train } = synthetic(6);
    const model = new HybridDeepRecommender({ ...hybridDeepTestConfig, epochs: 3 });
    await model.fit(train, { seed: 3, catalog: data.catalog });
    const content = buildItemContent(data.catalog, train.nItems, { ...itemContentDefaults, tagWidth: model.params.tagWidth });
    const encoder = await ort.InferenceSession.create(model.itemEncoderToOnnx(), { executionProviders: ['cpu'] });
    const emb = (await encoder.run({ features: new ort.Tensor('float32', content.values, [train.nItems, content.dim]) })).embedding.data as Float32Array;
    const d = model.params.dim;
    const F = d + 1;
    // per user: the mean over warm items of (score − content-only score) equals the cold items' (score − content-only score)
    const scores = model.scoreUsers(range(train.nUsers));
    for (let u = 0; u < train.nUsers; u += 17) {
      const contentScore = (i: number): number => {
        let s = 0;
        for (let f = 0; f < d; f++) s += model.userFactors[u * F + f] * emb[i * d + f];
        return s;
      };
      let warmLift = 0;
      for (let i = 6; i < train.nItems; i++) warmLift += (scores[u * train.nItems + i] - contentScore(i)) / (train.nItems - 6);
      for (let i = 0; i < 6; i++) expect(scores[u * train.nItems + i] - contentScore(i)).toBeCloseTo(warmLift, 3);
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
    expect(() => resolveHybridDeepConfig({ popularNegativeShare: 1.5 })).toThrow(/popularNegativeShare/);
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
