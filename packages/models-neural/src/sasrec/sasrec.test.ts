import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, DataError, Interactions, ModelFitError, Rng, topK } from '@musicrec/core';
import { leaveLastOutSequences } from '@musicrec/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend';
import type { SasRecConfig } from './config';
import { SasRecNetwork } from './network';
import { SasRecRecommender } from './sasrec';
import { successorSequences } from './test-sequences';

const tiny: Partial<SasRecConfig> = { factors: 16, heads: 2, blocks: 2, maxLen: 8, dropout: 0.1, batchSize: 32, backend: 'wasm' };

beforeAll(async () => {
  await resolveBackend({ order: ['wasm'] });
  await tf.setBackend('wasm');
});

function tinyNetwork(seed: number): SasRecNetwork {
  const shape = { nItems: 12, factors: 8, heads: 2, blocks: 2, maxLen: 6 };
  return new SasRecNetwork(shape, SasRecNetwork.initialWeights(shape, new Rng(seed)));
}

function hiddenOf(net: SasRecNetwork, ids: number[][]): number[][][] {
  return tf.tidy(() => net.hidden(tf.tensor2d(ids, undefined, 'int32'), 0).arraySync() as number[][][]);
}

describe('SasRecNetwork', () => {
  it('is causal: changing a later item leaves every earlier position unchanged', () => {
    const net = tinyNetwork(1);
    const [a] = hiddenOf(net, [[0, 3, 5, 7, 2, 9]]);
    const [b] = hiddenOf(net, [[0, 3, 5, 7, 11, 9]]);
    for (let p = 0; p < 4; p++) for (let j = 0; j < 8; j++) expect(b[p][j]).toBeCloseTo(a[p][j], 5);
    expect(Math.abs(b[4][0] - a[4][0]) + Math.abs(b[4][1] - a[4][1])).toBeGreaterThan(1e-4);
    net.dispose();
  });

  it('is padding invariant: more left padding leaves the real positions unchanged', () => {
    const net = tinyNetwork(2);
    const [short] = hiddenOf(net, [[3, 5, 7]]);
    const [long] = hiddenOf(net, [[0, 0, 0, 3, 5, 7]]);
    for (let p = 0; p < 3; p++) for (let j = 0; j < 8; j++) expect(long[p + 3][j]).toBeCloseTo(short[p][j], 5);
    for (let p = 0; p < 3; p++) for (let j = 0; j < 8; j++) expect(long[p][j]).toBe(0); // padding rows are zero
    net.dispose();
  });
});

describe('SasRecRecommender', () => {
  // item i is always followed by i + 1 (mod 20)
  const nItems = 20;
  const split = leaveLastOutSequences(successorSequences(80, nItems, 6, 12, 3));
  let model: SasRecRecommender;

  beforeAll(async () => {
    model = new SasRecRecommender({ ...tiny, epochs: 30, learningRate: 5e-3, patience: 6 });
    await model.fitSequences(split, { seed: 7, nItems });
  }, 60_000);

  function hitRateAt1(scores: Float32Array): number {
    let hits = 0;
    const top = new Int32Array(1);
    for (let u = 0; u < 80; u++) {
      const seen = split.fullTrain.items.slice(split.fullTrain.indptr[u], split.fullTrain.indptr[u + 1]).sort();
      topK(scores, 1, top, undefined, seen, u * nItems, nItems);
      if (top[0] === split.testTarget[u]) hits++;
    }
    return hits / 80;
  }

  it('learns "i is followed by i + 1" and beats popularity by far (HR@1 on the test target)', () => {
    const users = Int32Array.from({ length: 80 }, (_, u) => u);
    const hr = hitRateAt1(model.scoreUsers(users));
    // popularity over the full-train sequences: every user gets the same list
    const counts = new Float32Array(nItems);
    for (const i of split.fullTrain.items) counts[i]++;
    const popularity = new Float32Array(80 * nItems);
    for (let u = 0; u < 80; u++) popularity.set(counts, u * nItems);
    const popHr = hitRateAt1(popularity);
    expect(hr).toBeGreaterThan(0.8);
    expect(popHr).toBeLessThan(0.2);
    const summary = model.describe();
    expect(summary.backend).toBe('wasm');
    expect(summary.bestValidationNdcg10 as number).toBeGreaterThan(0.8);
    expect(summary.trainExamples).toBeGreaterThan(0);
  });

  it('learns the same pattern with the sampled-softmax loss', async () => {
    const m = new SasRecRecommender({ ...tiny, loss: 'sampled-softmax', sampledNegatives: 8, epochs: 15, learningRate: 5e-3, patience: 4 });
    await m.fitSequences(split, { seed: 7, nItems });
    expect(hitRateAt1(m.scoreUsers(Int32Array.from({ length: 80 }, (_, u) => u)))).toBeGreaterThan(0.8);
    m.dispose();
  }, 60_000);

  it('with trainOnUnsampledValidation, learns from the validation event of every user outside the validation sample', async () => {
    const held = new SasRecRecommender({ ...tiny, epochs: 1, validationUsers: 20 });
    await held.fitSequences(split, { seed: 7, nItems });
    const extra = new SasRecRecommender({ ...tiny, epochs: 1, validationUsers: 20, trainOnUnsampledValidation: true });
    await extra.fitSequences(split, { seed: 7, nItems });
    // every one of the 80 users has a validation event (6+ events each): 60 are outside the sample
    let transitions = 0;
    for (let u = 0; u < 80; u++) transitions += split.train.indptr[u + 1] - split.train.indptr[u] - 1;
    expect(held.describe().trainExamples).toBe(transitions);
    expect(extra.describe().trainExamples).toBe(transitions + 60);
    // scoring still reads every user's full-train sequence
    expect(extra.scoringSequences).toBe(split.fullTrain);
    held.dispose();
    extra.dispose();
  }, 60_000);

  it('scores the test target from the full-train sequences, not the train ones', () => {
    const u = Int32Array.of(0);
    const fromScoring = model.scoreUsers(u);
    expect(fromScoring).toEqual(model.scoreFrom(split.fullTrain, u));
    expect(fromScoring).not.toEqual(model.scoreFrom(split.train, u));
  });

  it('gives the same scores whatever the batch (padding to the batch’s longest history changes nothing)', () => {
    const all = model.scoreUsers(Int32Array.from({ length: 80 }, (_, u) => u));
    for (const u of [0, 17, 79]) {
      const alone = model.scoreUsers(Int32Array.of(u));
      for (let i = 0; i < nItems; i++) expect(alone[i]).toBeCloseTo(all[u * nItems + i], 4);
    }
  });

  it('save → load gives identical scores and the same params', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-sasrec-'));
    await model.save(dir);
    const loaded = await SasRecRecommender.load(dir);
    const users = Int32Array.of(0, 5, 9);
    expect(loaded.scoreUsers(users)).toEqual(model.scoreUsers(users));
    expect(loaded.params).toEqual(model.params);
    expect(loaded.describe()).toEqual(model.describe());
    // fitSequences stopped on the validation targets: that epoch is what a refit takes
    expect(loaded.refitParams()).toEqual({ epochs: model.describe().bestEpoch });
    loaded.dispose();
  });

  it('leaks no tensors across scoreUsers', () => {
    const users = Int32Array.of(1, 2, 3);
    model.scoreUsers(users);
    const before = tf.memory().numTensors;
    for (let r = 0; r < 3; r++) model.scoreUsers(users);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the same seed reproduces the same fit', async () => {
    const small = leaveLastOutSequences(successorSequences(20, 10, 4, 8, 5));
    const fitOnce = async (): Promise<Float32Array> => {
      const m = new SasRecRecommender({ ...tiny, epochs: 2 });
      await m.fitSequences(small, { seed: 11, nItems: 10 });
      const s = m.scoreUsers(Int32Array.of(0, 1, 2));
      m.dispose();
      return s;
    };
    expect(await fitOnce()).toEqual(await fitOnce());
  });
});

describe('SasRecRecommender.fit (the Recommender contract)', () => {
  it('orders each user’s training events by their timestamps, stops on ctx.validate, scores from those events', async () => {
    const sequences = successorSequences(20, 10, 4, 8, 5);
    const users: number[] = [];
    sequences.indptr.forEach((end, u) => {
      if (u > 0) for (let p = sequences.indptr[u - 1]; p < end; p++) users.push(u - 1);
    });
    const ids = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const train = Interactions.fromTriples(users, sequences.items, null, ids(20, 'u'), ids(10, 'i'), sequences.timestamps);
    const model = new SasRecRecommender({ ...tiny, epochs: 3 });
    let validations = 0;
    await model.fit(train, {
      seed: 4,
      validate: (m) => {
        validations++;
        expect(m.scoreUsers(Int32Array.of(0)).length).toBe(10);
        return validations; // keeps improving: every epoch runs
      },
    });
    expect(validations).toBe(3);
    expect(model.describe().bestEpoch).toBe(3);
    expect(model.refitParams()).toEqual({ epochs: 3 });
    // scoring input = user 0's events in time order = the walk it was generated from
    expect(Array.from(model.scoringSequences!.items.subarray(0, sequences.indptr[1]))).toEqual(Array.from(sequences.items.subarray(0, sequences.indptr[1])));
    model.dispose();
  });
});

describe('SasRecRecommender errors', () => {
  it('rejects bad options', () => {
    expect(() => new SasRecRecommender({ factors: 10, heads: 3 })).toThrow(/multiple of heads/);
    expect(() => new SasRecRecommender({ dropout: 1 })).toThrow(ConfigError);
    expect(() => new SasRecRecommender({ backend: 'cuda' as never })).toThrow(/backend/);
    expect(() => new SasRecRecommender({ maxlen: 5 } as never)).toThrow(/unknown option "maxlen"/);
    expect(() => new SasRecRecommender({ trainOnUnsampledValidation: true })).toThrow(/needs "validationUsers" > 0/);
  });

  it('refuses to score before fit, to fit without order, and to fit with nothing to predict', async () => {
    const m = new SasRecRecommender(tiny);
    expect(() => m.scoreUsers(Int32Array.of(0))).toThrow(ModelFitError);
    const untimed = Interactions.fromTriples([0], [1], null, ['u0'], ['i0', 'i1']);
    await expect(m.fit(untimed, { seed: 1 })).rejects.toThrow(/no timestamps/);
    const single = leaveLastOutSequences({ indptr: Int32Array.of(0, 1), items: Int32Array.of(0), timestamps: Float64Array.of(0) });
    await expect(m.fitSequences(single, { seed: 1, nItems: 2 })).rejects.toThrow(/nothing to predict/);
  });

  it('load names the field of a model saved by something else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-sasrec-'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 1, meta: { model: 'ials' }, arrays: {} }));
    await expect(SasRecRecommender.load(dir)).rejects.toThrow(DataError);
    await expect(SasRecRecommender.load(dir)).rejects.toThrow(/field "meta.model"/);
  });
});
