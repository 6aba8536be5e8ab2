import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, ModelFitError, Rng } from '@musicrec/core';
import type { ProgressEvent } from '@musicrec/core';
import { forgetResolvedBackend, resolveBackend } from '../backend/resolve-backend';
import { clipByGlobalNorm } from './gradient-clipping';
import { shuffledBatches } from './shuffled-batches';
import { trainDefaults } from './train-config';
import type { TrainConfig } from './train-config';
import { trainModel } from './train-model';
import type { TrainableModel } from './trainable-model';
import { loadCheckpoint, saveCheckpoint } from './variable-snapshot';

/** y = 2x + 1 on 40 points in [-1, 1): a model whose optimum is known. */
const xs = Float32Array.from({ length: 40 }, (_, k) => -1 + k / 20);
const ys = xs.map((x) => 2 * x + 1);

function lineModel(): TrainableModel & { w: tf.Variable; b: tf.Variable; dispose(): void } {
  const w = tf.variable(tf.scalar(0));
  const b = tf.variable(tf.scalar(0));
  return {
    w,
    b,
    variables: [w, b],
    loss(batch: unknown) {
      const picks = batch as Int32Array;
      const x = tf.tensor1d(Float32Array.from(picks, (p) => xs[p]));
      const y = tf.tensor1d(Float32Array.from(picks, (p) => ys[p]));
      return tf.mean(tf.square(tf.sub(tf.add(tf.mul(x, w), b), y))) as tf.Scalar;
    },
    dispose() {
      w.dispose();
      b.dispose();
    },
  };
}

function config(over: Partial<TrainConfig>): TrainConfig {
  return { ...trainDefaults, batchSize: 8, learningRate: 0.1, clipNorm: 0, ...over };
}

const batchesOf = (seed: number, batchSize = 8) => (epoch: number) => shuffledBatches(xs.length, batchSize, new Rng(seed).fork(epoch));

describe.each(['cpu', 'wasm'] as const)('trainModel on %s', (backend) => {
  beforeAll(async () => {
    forgetResolvedBackend();
    await resolveBackend({ order: [backend], env: {}, log: () => {} });
  });

  it('fits a known line and reports mean loss, examples and throughput', async () => {
    const model = lineModel();
    const result = await trainModel({ model, batches: batchesOf(1), config: config({ epochs: 60 }) });
    expect(model.w.dataSync()[0]).toBeCloseTo(2, 2);
    expect(model.b.dataSync()[0]).toBeCloseTo(1, 2);
    expect(result.epochsRun).toBe(60);
    expect(result.bestEpoch).toBe(60);
    expect(result.bestScore).toBeNaN();
    expect(result.history[0].examples).toBe(40);
    // epoch 1 starts at w = b = 0, where the mean squared error is E[(2x+1)^2] ≈ 2.33
    expect(result.history[0].loss).toBeLessThan(2.4);
    expect(result.history[59].loss).toBeLessThan(1e-4);
    expect(result.examplesPerSecond).toBeGreaterThan(0);
    model.dispose();
  });

  it('leaks no tensors: the count after epoch 1 equals the count after epoch 3', async () => {
    const model = lineModel();
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await trainModel({
      model,
      batches: batchesOf(2),
      validate: () => -model.w.dataSync()[0],
      config: config({ epochs: 3, clipNorm: 1, patience: 10 }),
      onProgress: (e) => {
        if (e.current > 0) counts.push(tf.memory().numTensors);
      },
    });
    expect(counts.length).toBe(3);
    expect(counts[2]).toBe(counts[0]);
    // the optimizer's moments are gone too
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('trainModel schedule', () => {
  beforeAll(async () => {
    forgetResolvedBackend();
    await resolveBackend({ order: ['cpu'], env: {}, log: () => {} });
  });

  it('stops after `patience` epochs without improvement and restores the best epoch', async () => {
    const model = lineModel();
    const scores = [0.1, 0.3, 0.2, 0.25, 0.9];
    const wAfter: number[] = [];
    const events: ProgressEvent[] = [];
    const result = await trainModel({
      model,
      batches: batchesOf(3),
      validate: () => {
        wAfter.push(model.w.dataSync()[0]);
        return scores[wAfter.length - 1];
      },
      config: config({ epochs: 5, patience: 2, lrPatience: 10 }),
      onProgress: (e) => events.push(e),
      label: 'line',
    });
    expect(result.epochsRun).toBe(4);
    expect(result.bestEpoch).toBe(2);
    expect(result.bestScore).toBe(0.3);
    expect(model.w.dataSync()[0]).toBe(wAfter[1]);
    expect(events[0]).toMatchObject({ stage: 'fit line', current: 0, total: 5 });
    expect(events[2].metrics).toEqual({ loss: result.history[1].loss, val: 0.3 });
    expect(events[2].message).toBe(`epoch 2/5 loss ${result.history[1].loss.toFixed(4)} val 0.3000 lr 0.10`);
    // the bar is completed when training stops early
    expect(events[events.length - 1]).toMatchObject({ current: 5, total: 5, message: 'stopped early, best epoch 2' });
    model.dispose();
  });

  it('multiplies the learning rate by lrFactor after lrPatience flat epochs, never below minLearningRate', async () => {
    const model = lineModel();
    const scores = [0.5, 0.4, 0.3, 0.2];
    let k = 0;
    const result = await trainModel({
      model,
      batches: batchesOf(4),
      validate: () => scores[k++],
      config: config({ epochs: 4, patience: 10, lrPatience: 1, lrFactor: 0.5, minLearningRate: 0.03 }),
    });
    expect(result.history.map((h) => h.learningRate)).toEqual([0.1, 0.1, 0.05, 0.03]);
    model.dispose();
  });

  it('a diverging loss is a ModelFitError naming the epoch', async () => {
    const v = tf.variable(tf.scalar(1));
    const bad: TrainableModel = { variables: [v], loss: () => tf.mul(v, Number.NaN) as tf.Scalar };
    await expect(trainModel({ model: bad, batches: () => [Int32Array.of(0)], config: config({ epochs: 2 }) })).rejects.toThrow(
      ModelFitError,
    );
    await expect(trainModel({ model: bad, batches: () => [Int32Array.of(0)], config: config({ epochs: 2 }) })).rejects.toThrow(
      'training loss became NaN in epoch 1',
    );
    v.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  beforeAll(async () => {
    forgetResolvedBackend();
    await resolveBackend({ order: ['cpu'], env: {}, log: () => {} });
  });

  it('scales every gradient by clipNorm / global norm when the norm is larger', () => {
    tf.tidy(() => {
      const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) }; // global norm 5
      const clipped = clipByGlobalNorm(grads, 1);
      expect(Array.from(clipped.a.dataSync())).toEqual([Math.fround(0.6), 0]);
      expect(Array.from(clipped.b.dataSync())).toEqual([Math.fround(0.8)]);
      const kept = clipByGlobalNorm(grads, 10);
      expect(Array.from(kept.a.dataSync())).toEqual([3, 0]);
      expect(clipByGlobalNorm(grads, 0)).toBe(grads);
    });
  });
});

describe('shuffledBatches', () => {
  it('covers every index once in batches of the given size, reproducibly per seed', () => {
    const batches = [...shuffledBatches(10, 4, new Rng(7))].map((b) => Array.from(b));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = [...shuffledBatches(10, 4, new Rng(7))].map((b) => Array.from(b));
    expect(again).toEqual(batches);
    expect(() => [...shuffledBatches(10, 0, new Rng(7))]).toThrow(RangeError);
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  beforeAll(async () => {
    forgetResolvedBackend();
    await resolveBackend({ order: ['cpu'], env: {}, log: () => {} });
  });

  it('round-trips variable values and rejects a checkpoint of another shape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-ckpt-'));
    try {
      const a = [tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])), tf.variable(tf.tensor1d([7]))];
      await saveCheckpoint(dir, a);
      const b = [tf.variable(tf.zeros([2, 3])), tf.variable(tf.zeros([1]))];
      await loadCheckpoint(dir, b);
      expect(Array.from(b[0].dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      expect(Array.from(b[1].dataSync())).toEqual([7]);
      const wrong = [tf.variable(tf.zeros([3, 2])), tf.variable(tf.zeros([1]))];
      await expect(loadCheckpoint(dir, wrong)).rejects.toThrow(DataError);
      await expect(loadCheckpoint(dir, wrong)).rejects.toThrow('variable 0 has shape [2,3] in the checkpoint, [3,2] in the model');
      tf.dispose([...a, ...b, ...wrong]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
