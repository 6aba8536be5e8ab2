import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interactions, ONNX_EXPORTABLE, Rng, isDisposable, range, topK } from '@musicrec/core';
import type { Recommender } from '@musicrec/core';
// test-only: the exporter comes from models-neural, which sits below retrieval
import { exportDotProductScorer } from '@musicrec/models-neural';
import { OnnxRecommender, onnxRecommenderFactory } from './onnx-recommender';
import { FixedFactorModel, fixedFactorFactory } from './factor-model.fixture';

const nUsers = 6;
const nItems = 11;
const dim = 4;
const rng = new Rng(4);
const inner = new FixedFactorModel(rng.normalArray(nUsers * dim, 1), rng.normalArray(nItems * dim, 1), dim);
const train = Interactions.empty(Array.from({ length: nUsers }, (_, i) => `u${i}`), Array.from({ length: nItems }, (_, i) => `i${i}`));
const exporter = (m: Recommender, shape: { nItems: number }) =>
  exportDotProductScorer({ userEmbedding: m.userFactors!, itemEmbedding: m.itemFactors!, dim: m.itemFactors!.length / shape.nItems });

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst;
}

describe('OnnxRecommender', () => {
  it('TS model → ONNX → same scores (1e-5), sync through the score table and async through the session', async () => {
    const onnx = new OnnxRecommender(inner, exporter, { providers: ['cpu'], batchSize: 4 });
    await onnx.fit(train, { seed: 1 });
    expect(inner.fitCalls).toBeGreaterThan(0);
    expect(onnx.inference).toBe('onnx-cpu');
    const expected = inner.scoreUsers(range(nUsers));
    expect(maxAbsDiff(onnx.scoreUsers(range(nUsers)), expected)).toBeLessThan(1e-5);
    const two = await onnx.scoreUsersAsync(Int32Array.of(5, 2));
    expect(maxAbsDiff(two, inner.scoreUsers(Int32Array.of(5, 2)))).toBeLessThan(1e-5);
    // a request goes through the one-thread top-k session: the items the TS scores rank first
    for (const [u, seen] of [[3, Int32Array.of()], [1, Int32Array.of(0, 4, 5, 9)]] as const) {
      const expectedItems = new Int32Array(4);
      topK(inner.scoreUsers(Int32Array.of(u)), 4, expectedItems, undefined, seen, 0, nItems);
      const got = await onnx.recommendAsync(u, 4, seen);
      expect(Array.from(got.items)).toEqual(Array.from(expectedItems));
      expect(maxAbsDiff(got.scores, Float32Array.from(expectedItems, (i) => expected[u * nItems + i]))).toBeLessThan(1e-5);
    }
    await expect(onnx.recommendAsync(nUsers, 4)).rejects.toThrow(/unknown user index 6/);
    await onnx.release();
  });

  it('save → load (through the registry factory) serves the saved graph with the same scores', async () => {
    const onnx = new OnnxRecommender(inner, exporter, { providers: ['cpu'] });
    await onnx.fit(train, { seed: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'onnx-rec-'));
    try {
      await onnx.save(dir);
      const factory = onnxRecommenderFactory({ name: 'fixed-factors', create: () => inner, ...fixedFactorFactory }, () => {
        throw new Error('load must not re-export');
      }, { providers: ['cpu'] });
      const loaded = await factory.load(dir);
      expect(loaded.scoreUsers(range(nUsers))).toEqual(onnx.scoreUsers(range(nUsers)));
      expect(isDisposable(loaded)).toBe(true);
      if (isDisposable(loaded)) loaded.dispose();
    } finally {
      await rm(dir, { recursive: true });
      await onnx.release();
    }
  });

  it('dispose() frees both sessions at once (Disposable), leaves the inner model alone, and is idempotent', async () => {
    const onnx = new OnnxRecommender(inner, exporter, { providers: ['cpu'] });
    await onnx.attach(nUsers, nItems);
    // the sessions as they were before dispose (private fields, read for this check only)
    const scorer = onnx['scorer']!;
    const requestScorer = onnx['requestScorer']!;
    expect(isDisposable(onnx)).toBe(true);
    onnx.dispose();
    // freed synchronously: a session run right after dispose, without awaiting anything, fails
    await expect(scorer.scoreUsers(Int32Array.of(0))).rejects.toThrow();
    await expect(requestScorer.recommendUsers(Int32Array.of(0), 2)).rejects.toThrow();
    expect(() => onnx.scoreUsers(Int32Array.of(0))).toThrow(/fit\(\) or attach\(\)/);
    onnx.dispose();
    await onnx.release();
    expect(inner.scoreUsers(Int32Array.of(0)).length).toBe(nItems);
    // attach opens new sessions after a dispose
    await onnx.attach(nUsers, nItems);
    expect(maxAbsDiff(onnx.scoreUsers(range(nUsers)), inner.scoreUsers(range(nUsers)))).toBeLessThan(1e-5);
    onnx.dispose();
  });

  it('without an exporter, exports the inner model\'s own graph (OnnxExportable), and says so for a model that has none', async () => {
    const exportable = Object.assign(new FixedFactorModel(inner.userFactors!, inner.itemFactors!, dim), {
      [ONNX_EXPORTABLE]: true as const,
      toOnnx: () => exporter(inner, { nItems }),
    });
    const onnx = new OnnxRecommender(exportable, undefined, { providers: ['cpu'] });
    await onnx.attach(nUsers, nItems);
    expect(maxAbsDiff(onnx.scoreUsers(range(nUsers)), inner.scoreUsers(range(nUsers)))).toBeLessThan(1e-5);
    await onnx.release();
    await expect(new OnnxRecommender(inner).attach(nUsers, nItems)).rejects.toThrow(/does not declare OnnxExportable/);
  });

  it('refuses to score before fit and names an unknown user', async () => {
    const onnx = new OnnxRecommender(inner, exporter, { providers: ['cpu'] });
    expect(() => onnx.scoreUsers(Int32Array.of(0))).toThrow(/fit\(\) or attach\(\)/);
    await onnx.attach(nUsers, nItems);
    expect(() => onnx.scoreUsers(Int32Array.of(nUsers))).toThrow(/unknown user index 6/);
    await onnx.release();
  });
});
