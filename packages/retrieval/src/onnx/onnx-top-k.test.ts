import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, Rng, topK } from '@musicrec/core';
// models-neural writes the graphs this package serves (test-only use; retrieval's code does not depend on it)
import { exportDotProductScorer, OnnxGraphBuilder } from '@musicrec/models-neural';
import { OnnxScorer } from './onnx-scorer';
import { OnnxTopKScorer } from './onnx-top-k';
import { appendTopK } from './top-k-graph';

// users [1, 0], [0, 1], [1, 1]; items [1, 1], [2, 0], [0, 3], [1, 0]
// scores: user 0 → [1, 2, 0, 1], user 1 → [1, 0, 3, 0], user 2 → [2, 2, 3, 1]
const bytes = exportDotProductScorer({ userEmbedding: Float32Array.of(1, 0, 0, 1, 1, 1), itemEmbedding: Float32Array.of(1, 1, 2, 0, 0, 3, 1, 0), dim: 2 });

describe('OnnxTopKScorer', () => {
  it('returns hand-computed top-k rows, ties to the lower index, seen items removed', async () => {
    const top = await OnnxTopKScorer.create(bytes, { providers: ['cpu'] });
    expect(top.nItems).toBe(4);
    expect(top.inference).toBe('onnx-cpu');
    const all = await top.recommendUsers(Int32Array.of(0, 1, 2), 2);
    // user 0: item 1 (2), then items 0 and 3 tie at 1 → 0; user 2: item 2 (3), items 0 and 1 tie at 2 → 0
    expect(Array.from(all.items)).toEqual([1, 0, 2, 0, 2, 0]);
    expect(Array.from(all.scores)).toEqual([2, 1, 3, 1, 3, 2]);
    // user 0 has seen item 1, user 2 items 0 and 2
    const seen = [Int32Array.of(1), undefined, Int32Array.of(0, 2)];
    const unseen = await top.recommendUsers(Int32Array.of(0, 1, 2), 2, (b) => seen[b]);
    expect(Array.from(unseen.items)).toEqual([0, 3, 2, 0, 1, 3]);
    expect(Array.from(unseen.scores)).toEqual([1, 1, 3, 1, 2, 1]);
    await top.release();
  });

  it("opens from a file, and forcing ['cuda', 'cpu'] here ends on cpu with cuda recorded as failed", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onnx-top-k-'));
    try {
      await writeFile(join(dir, 'scorer.onnx'), bytes);
      const top = await OnnxTopKScorer.create(join(dir, 'scorer.onnx'), { providers: ['cuda', 'cpu'] });
      expect(top.provider).toBe('cpu');
      expect(top.tried.map((t) => t.provider)).toEqual(['cuda']);
      expect(Array.from((await top.recommendUsers(Int32Array.of(1), 1)).items)).toEqual([2]);
      await top.release();
      await expect(OnnxTopKScorer.create(join(dir, 'missing.onnx'))).rejects.toThrow(DataError);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('pads a row with −1 / −Infinity when fewer than k items are left', async () => {
    const top = await OnnxTopKScorer.create(bytes, { providers: ['cpu'] });
    const r = await top.recommendUsers(Int32Array.of(1), 5, () => Int32Array.of(0, 2));
    expect(Array.from(r.items)).toEqual([1, 3, -1, -1, -1]);
    expect(Array.from(r.scores)).toEqual([0, 0, -Infinity, -Infinity, -Infinity]);
    expect((await top.recommendUsers(new Int32Array(0), 3)).items.length).toBe(0);
    await top.release();
  });

  it('agrees exactly with full scores + core topK on random users, exclusions and batch sizes', async () => {
    const rng = new Rng(7);
    const nUsers = 40;
    const nItems = 300;
    const dim = 8;
    const ue = Float32Array.from({ length: nUsers * dim }, () => rng.next() - 0.5);
    // 0/1 item factors: 300 items over 256 possible rows, so many items tie exactly
    const ie = Float32Array.from({ length: nItems * dim }, () => Math.floor(rng.next() * 2));
    const graph = exportDotProductScorer({ userEmbedding: ue, itemEmbedding: ie, dim });
    const full = await OnnxScorer.create(graph, { providers: ['cpu'] });
    const top = await OnnxTopKScorer.create(graph, { providers: ['cpu'], intraOpNumThreads: 1 });
    const seen = Array.from({ length: nUsers }, () => {
      const s = new Set<number>();
      const n = Math.floor(rng.next() * 40);
      while (s.size < n) s.add(Math.floor(rng.next() * nItems));
      return Int32Array.from([...s].sort((a, b) => a - b));
    });
    const users = Int32Array.from({ length: nUsers }, (_, u) => u);
    const k = 10;
    const scores = await full.scoreUsers(users);
    for (const batch of [1, 7, nUsers]) {
      for (let start = 0; start < nUsers; start += batch) {
        const part = users.subarray(start, Math.min(nUsers, start + batch));
        const got = await top.recommendUsers(part, k, (b) => seen[part[b]]);
        for (let b = 0; b < part.length; b++) {
          const u = part[b];
          const idx = new Int32Array(k);
          const sc = new Float32Array(k);
          topK(scores, k, idx, sc, seen[u], u * nItems, nItems);
          expect(Array.from(got.items.subarray(b * k, (b + 1) * k))).toEqual(Array.from(idx));
          expect(Array.from(got.scores.subarray(b * k, (b + 1) * k))).toEqual(Array.from(sc));
        }
      }
    }
    await full.release();
    await top.release();
  });

  it('serves a graph fed [batch, window] history windows (as SASRec is) like its full score rows', async () => {
    // scores of a window = sum of the table rows its two tokens pick: table [5 tokens, 6 items]
    const table = Float32Array.from({ length: 30 }, (_, j) => ((j * 7) % 11) - 5);
    const g = new OnnxGraphBuilder('windows');
    g.input('window', ['batch', 2], 'int64');
    g.initializer('table', table, [5, 6]);
    g.initializer('axis', BigInt64Array.of(1n), [1]);
    g.node('Gather', ['table', 'window'], ['rows'], { axis: 0 });
    g.node('ReduceSum', ['rows', 'axis'], ['scores'], { keepdims: 0 });
    g.output('scores', ['batch', 6]);
    const graph = g.toBytes();
    const full = await OnnxScorer.create(graph, { providers: ['cpu'] });
    const top = await OnnxTopKScorer.create(graph, { providers: ['cpu'] });
    const windows = BigInt64Array.of(0n, 4n, 2n, 2n, 3n, 1n);
    const seen = [Int32Array.of(2), Int32Array.of(), Int32Array.of(0, 1, 5)];
    const scores = await full.scoreInput(windows, [3, 2]);
    const got = await top.recommendInput(windows, [3, 2], 3, (b) => seen[b]);
    for (let b = 0; b < 3; b++) {
      const idx = new Int32Array(3);
      const sc = new Float32Array(3);
      topK(scores, 3, idx, sc, seen[b], b * 6, 6);
      expect(Array.from(got.items.subarray(b * 3, b * 3 + 3))).toEqual(Array.from(idx));
      expect(Array.from(got.scores.subarray(b * 3, b * 3 + 3))).toEqual(Array.from(sc));
    }
    await full.release();
    await top.release();
  });

  it('errors say what was wrong', async () => {
    await expect(OnnxTopKScorer.create(Uint8Array.of(1, 2, 3))).rejects.toThrow(DataError);
    const top = await OnnxTopKScorer.create(bytes, { providers: ['cpu'] });
    await expect(top.recommendUsers(Int32Array.of(0), 0)).rejects.toThrow(/k must be an integer >= 1, got 0/);
    await expect(top.recommendUsers(Int32Array.of(0), 2, () => Int32Array.of(3, 1))).rejects.toThrow(/exclude list of row 0 is not sorted ascending \(position 1: 3 then 1\)/);
    await expect(top.recommendUsers(Int32Array.of(9), 2)).rejects.toThrow(/top-2 of a \[1\] input failed/);
    await expect(top.recommendInput(BigInt64Array.of(0n), [2], 1)).rejects.toThrow(/input has 1 values, dims \[2\] need 2/);
    await top.release();
    await expect(OnnxTopKScorer.create(bytes, { nItems: 5 })).rejects.toThrow(/nItems 5 given, but the graph scores 4 items/);
  });
});

describe('appendTopK', () => {
  const scorer = (build: (g: OnnxGraphBuilder) => void, opset = 17): Uint8Array => {
    const g = new OnnxGraphBuilder('t');
    build(g);
    return g.toBytes({ opset });
  };
  const userScores = (g: OnnxGraphBuilder, inputName = 'user'): void => {
    g.input(inputName, ['batch'], 'int64');
    g.initializer('table', Float32Array.of(1, 2, 3, 4), [2, 2]);
    g.node('Gather', ['table', inputName], ['scores'], { axis: 0 });
  };

  it('reads the item count from the output, or leaves it undefined for a symbolic axis', () => {
    expect(appendTopK(bytes).nItems).toBe(4);
    const symbolic = scorer((g) => {
      userScores(g);
      g.output('scores', ['batch', 'items']);
    });
    expect(appendTopK(symbolic).nItems).toBeUndefined();
  });

  it('a graph whose item axis is symbolic needs nItems, then serves', async () => {
    const symbolic = scorer((g) => {
      userScores(g);
      g.output('scores', ['batch', 'items']);
    });
    await expect(OnnxTopKScorer.create(symbolic)).rejects.toThrow(/symbolic item axis; pass nItems/);
    const top = await OnnxTopKScorer.create(symbolic, { nItems: 2, providers: ['cpu'] });
    expect(Array.from((await top.recommendUsers(Int32Array.of(1), 2)).items)).toEqual([1, 0]);
    await top.release();
  });

  it('refuses what is not a one-output float [batch, nItems] scorer at opset >= 11, naming the problem', () => {
    const twoOutputs = scorer((g) => {
      userScores(g);
      g.node('Identity', ['scores'], ['copy']);
      g.output('scores', ['batch', 2]);
      g.output('copy', ['batch', 2]);
    });
    expect(() => appendTopK(twoOutputs, 'two.onnx')).toThrow(/one output \(scores \[batch, nItems\]\); this one has 2: \[scores, copy\]/);
    const rank1 = scorer((g) => {
      userScores(g);
      g.node('ReduceSum', ['scores'], ['total'], { keepdims: 0 });
      g.output('total', ['batch']);
    });
    expect(() => appendTopK(rank1)).toThrow(/must be float32 of rank 2 \[batch, nItems\]; it is element type 1 of rank 1/);
    const old = scorer((g) => {
      userScores(g);
      g.output('scores', ['batch', 2]);
    }, 10);
    expect(() => appendTopK(old)).toThrow(/needs opset >= 11; the model imports opset 10/);
    const clash = scorer((g) => {
      userScores(g, 'k');
      g.output('scores', ['batch', 2]);
    });
    expect(() => appendTopK(clash)).toThrow(/already defines "k"/);
  });
});
