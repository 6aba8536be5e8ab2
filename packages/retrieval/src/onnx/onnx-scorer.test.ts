import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@musicrec/core';
// models-neural writes the graphs this package serves (test-only use; retrieval's code does not depend on it)
import { exportDotProductScorer } from '@musicrec/models-neural';
import { missingCudaProvider, OnnxScorer } from './onnx-scorer';

// users [1, 0], [0, 1]; items [1, 1], [2, 0], [0, 3]
const bytes = exportDotProductScorer({ userEmbedding: Float32Array.of(1, 0, 0, 1), itemEmbedding: Float32Array.of(1, 1, 2, 0, 0, 3), dim: 2 });

describe('OnnxScorer', () => {
  it("forcing ['cuda', 'cpu'] here ends on cpu with cuda recorded as failed", async () => {
    const scorer = await OnnxScorer.create(bytes, { providers: ['cuda', 'cpu'] });
    expect(scorer.provider).toBe('cpu');
    expect(scorer.inference).toBe('onnx-cpu');
    expect(scorer.tried.map((t) => t.provider)).toEqual(['cuda']);
    expect(scorer.tried[0].error.length).toBeGreaterThan(0);
    await scorer.release();
  });

  it('says the CUDA provider is absent when its library is not next to the binding, and tries it when it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ort-binding-'));
    try {
      const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
      expect(missingCudaProvider(dir)).toBe(`${file} is not installed in ${dir} (onnxruntime-node was installed without its CUDA provider; see @musicrec/retrieval's README, "GPU")`);
      await writeFile(join(dir, file), '');
      expect(missingCudaProvider(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('the default order cuda → webgpu → cpu lands on a working provider and records the ones that failed', async () => {
    const scorer = await OnnxScorer.create(bytes);
    const order = ['cuda', 'webgpu', 'cpu'];
    // every provider before the one in use failed, in order
    expect(scorer.tried.map((t) => t.provider)).toEqual(order.slice(0, order.indexOf(scorer.provider)));
    expect(Array.from(await scorer.scoreUsers(Int32Array.of(1)))).toEqual([1, 0, 3]);
    await scorer.release();
  });

  it('scores hand-computed rows, from bytes or from a file, batched or not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onnx-scorer-'));
    try {
      await writeFile(join(dir, 'm.onnx'), bytes);
      const scorer = await OnnxScorer.create(join(dir, 'm.onnx'), { providers: ['cpu'] });
      expect(Array.from(await scorer.scoreUsers(Int32Array.of(0, 1)))).toEqual([1, 2, 0, 1, 0, 3]);
      const batched = await scorer.scoreUsersBatched(Int32Array.of(1, 0, 1), 3, 2);
      expect(Array.from(batched)).toEqual([1, 0, 3, 1, 2, 0, 1, 0, 3]);
      // the raw int64 input path (what a history-window graph such as SASRec's is fed)
      expect(Array.from(await scorer.scoreInput(BigInt64Array.of(1n, 0n), [2]))).toEqual([1, 0, 3, 1, 2, 0]);
      await expect(scorer.scoreInput(BigInt64Array.of(1n), [2])).rejects.toThrow(/input has 1 values, dims \[2\] need 2/);
      await scorer.release();
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('errors say what was wrong: unknown provider, unreadable file, bad thread count, user out of range, wrong nItems', async () => {
    await expect(OnnxScorer.create(bytes, { providers: ['tpu' as never] })).rejects.toThrow(/unknown provider "tpu"/);
    await expect(OnnxScorer.create('/no/such/model.onnx')).rejects.toThrow(DataError);
    await expect(OnnxScorer.create(Uint8Array.of(1, 2, 3), { providers: ['cpu'] })).rejects.toThrow(/no execution provider could load the model: cpu:/);
    await expect(OnnxScorer.create(bytes, { intraOpNumThreads: 0 })).rejects.toThrow(/intraOpNumThreads must be an integer >= 1, got 0/);
    await expect(OnnxScorer.create(bytes, { intraOpNumThreads: 1.5 })).rejects.toThrow(ConfigError);
    const scorer = await OnnxScorer.create(bytes, { providers: ['cpu'] });
    await expect(scorer.scoreUsers(Int32Array.of(7))).rejects.toThrow(/scoring users \[7\] failed/);
    await expect(scorer.scoreUsersBatched(Int32Array.of(0), 4)).rejects.toThrow(ConfigError);
    await scorer.release();
  });
});
