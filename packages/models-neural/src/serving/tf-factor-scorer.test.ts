import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { TfFactorScorer, TfFactorScoring } from './tf-factor-scorer';

describe('TfFactorScorer', () => {
  it('scores user rows against every item row with one matMul, hand-computed, without leaking tensors', async () => {
    await useBackend('auto');
    // users [1, 0], [2, -1]; items [1, 1], [0, 3], [-1, 2]
    const scorer = new TfFactorScorer(Float32Array.of(1, 0, 2, -1), Float32Array.of(1, 1, 0, 3, -1, 2), 2);
    const before = tf.memory().numTensors;
    expect(Array.from(scorer.score(Int32Array.of(1, 0), new Float32Array(6)))).toEqual([1, -3, -4, 1, 0, -1]);
    expect(Array.from(scorer.score(Int32Array.of(), new Float32Array(0)))).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => scorer.score(Int32Array.of(0), new Float32Array(2))).toThrow(/expected 1 × 3/);
    expect(() => scorer.score(Int32Array.of(2), new Float32Array(3))).toThrow(/user index 2 out of range \[0, 2\)/);
    scorer.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    expect(() => new TfFactorScorer(Float32Array.of(1, 2, 3), Float32Array.of(1, 2), 2)).toThrow(/not multiples of dim 2/);
  });

  it('TfFactorScoring rebuilds its tensors when the factor arrays are replaced, and only then', async () => {
    await useBackend('auto');
    const scoring = new TfFactorScoring();
    const before = tf.memory().numTensors;
    let users = Float32Array.of(1, 2);
    const items = Float32Array.of(1, 0, 0, 1);
    expect(Array.from(scoring.score(users, items, 2, Int32Array.of(0), new Float32Array(2), 'm'))).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before + 2);
    users = Float32Array.of(5, 7);
    expect(Array.from(scoring.score(users, items, 2, Int32Array.of(0), new Float32Array(2), 'm'))).toEqual([5, 7]);
    expect(tf.memory().numTensors).toBe(before + 2);
    scoring.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
