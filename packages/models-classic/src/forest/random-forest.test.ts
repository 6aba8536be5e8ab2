import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError, Rng, loadModelDir, saveModelDir } from '@musicrec/core';
import { describe, expect, it } from 'vitest';
import { binRows, quantileBins } from './binning';
import { RandomForest } from './random-forest';

/** n rows of 4 uniform features; label = (x0 > 0.5) xor (x1 > 0.5), x2 and x3 are noise. */
function xorProblem(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < 4; f++) x[r * 4 + f] = rng.next();
    y[r] = x[r * 4] > 0.5 !== x[r * 4 + 1] > 0.5 ? 1 : 0;
  }
  return { x, y };
}

describe('quantile binning', () => {
  it('splits 0..9 into 4 bins at the quartiles, x <= edge going to the lower bin, NaN to the last', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const bins = quantileBins(x, 10, 1, 4);
    // quantile positions floor(q·10/4) = 2, 5, 7
    expect(Array.from(bins.edges)).toEqual([2, 5, 7]);
    expect(Array.from(binRows(Float32Array.from([2, 2.5, 9, Number.NaN, -1]), 5, bins))).toEqual([0, 1, 3, 3, 0]);
  });

  it('a constant feature gets no edges (one bin, never split on)', () => {
    const bins = quantileBins(new Float32Array(20).fill(3), 20, 1, 8);
    expect(bins.edges.length).toBe(0);
  });
});

describe('RandomForest', () => {
  it('learns xor of two features: near-perfect held-out accuracy, importance on x0 and x1', () => {
    const train = xorProblem(4000, 1);
    const test = xorProblem(1000, 2);
    const forest = RandomForest.fit(train.x, train.y, 4, { trees: 20, maxDepth: 6, minLeaf: 5, featureFraction: 0.5 }, 7);
    const p = forest.predict(test.x);
    let correct = 0;
    for (let r = 0; r < 1000; r++) correct += (p[r] > 0.5 ? 1 : 0) === test.y[r] ? 1 : 0;
    expect(correct / 1000).toBeGreaterThan(0.97);
    const imp = forest.importances;
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(imp[0] + imp[1]).toBeGreaterThan(0.9);
    expect(imp[0]).toBeGreaterThan(0.25);
    expect(imp[1]).toBeGreaterThan(0.25);
    for (let r = 0; r < 1000; r++) expect(p[r] >= 0 && p[r] <= 1).toBe(true);
  });

  it('one stump on a threshold problem: hand-checked split and leaf means', () => {
    // y = 1 exactly when x > 3; with every row used once the best split is x <= 3
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const y = Float32Array.from([0, 0, 0, 1, 1, 1]);
    const forest = RandomForest.fit(x, y, 1, { trees: 1, maxDepth: 1, minLeaf: 1, bins: 8, bootstrap: false }, 3);
    const root = forest.trees.roots[0];
    expect(forest.trees.feature[root]).toBe(0);
    expect(forest.trees.threshold[root]).toBe(3);
    expect(Array.from(forest.predict(Float32Array.from([0, 3, 3.5, 10])))).toEqual([0, 0, 1, 1]);
    expect(Array.from(forest.importances)).toEqual([1]);
    // minLeaf 4 forbids any split of 6 rows: one leaf holding the mean 0.5
    const stump = RandomForest.fit(x, y, 1, { trees: 1, maxDepth: 1, minLeaf: 4, bootstrap: false }, 3);
    expect(stump.nNodes).toBe(1);
    expect(Array.from(stump.predict(Float32Array.from([1, 6])))).toEqual([0.5, 0.5]);
    expect(Array.from(stump.importances)).toEqual([0]);
  });

  it('a subsample without replacement holds each row at most once (sampleFraction 0.5 of 6 → leaf of 3)', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const y = Float32Array.from([1, 1, 1, 1, 1, 1]);
    const forest = RandomForest.fit(x, y, 1, { trees: 3, maxDepth: 0, minLeaf: 1, sampleFraction: 0.5, bootstrap: false }, 9);
    expect(Array.from(forest.predict(Float32Array.from([2])))).toEqual([1]);
    expect(forest.nNodes).toBe(3);
  });

  it('is deterministic: the same seed gives identical trees, another seed different ones', () => {
    const { x, y } = xorProblem(500, 3);
    const params = { trees: 5, maxDepth: 5, minLeaf: 3 };
    const a = RandomForest.fit(x, y, 4, params, 11);
    const b = RandomForest.fit(x, y, 4, params, 11);
    const c = RandomForest.fit(x, y, 4, params, 12);
    expect(b.trees).toEqual(a.trees);
    expect(b.importances).toEqual(a.importances);
    expect(c.trees.threshold).not.toEqual(a.trees.threshold);
  });

  it('round-trips through saveModelDir / fromArrays with identical predictions', async () => {
    const { x, y } = xorProblem(500, 4);
    const forest = RandomForest.fit(x, y, 4, { trees: 4, maxDepth: 4, minLeaf: 3 }, 5);
    const dir = await mkdtemp(join(tmpdir(), 'musicrec-forest-'));
    try {
      await saveModelDir(dir, {}, forest.toArrays());
      const { arrays } = await loadModelDir(dir);
      const loaded = RandomForest.fromArrays(arrays, 4, dir);
      expect(loaded.predict(x)).toEqual(forest.predict(x));
      expect(Array.from(loaded.importances)).toEqual(Array.from(forest.importances));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a corrupt saved forest, naming the array', () => {
    const { x, y } = xorProblem(200, 6);
    const arrays = RandomForest.fit(x, y, 4, { trees: 2, maxDepth: 3, minLeaf: 2 }, 1).toArrays();
    const left = arrays.forestLeft as Int32Array;
    const split = Array.from((arrays.forestFeature as Int32Array)).findIndex((f) => f >= 0);
    left[split] = 0; // a child pointing back at the root: a cycle
    expect(() => RandomForest.fromArrays(arrays, 4, 'dir')).toThrow(DataError);
    expect(() => RandomForest.fromArrays(arrays, 4, 'dir')).toThrow(/forestFeature/);
    const { forestRoots: _dropped, ...missing } = arrays;
    expect(() => RandomForest.fromArrays(missing, 4, 'dir')).toThrow(/forestRoots/);
  });

  it('rejects bad shapes, labels and options', () => {
    expect(() => RandomForest.fit(new Float32Array(5), new Float32Array(2), 2, {}, 1)).toThrow(/expected 2 rows × 2 features/);
    expect(() => RandomForest.fit(new Float32Array(2), Float32Array.of(Number.NaN), 2, {}, 1)).toThrow(/label of row 0/);
    expect(() => RandomForest.fit(new Float32Array(2), new Float32Array(1), 2, { featureFraction: 0 }, 1)).toThrow(ConfigError);
    expect(() => RandomForest.fit(new Float32Array(2), new Float32Array(1), 2, { bins: 300 }, 1)).toThrow(/bins/);
  });
});
