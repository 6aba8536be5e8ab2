import { DataError, Rng, type StoredArray } from '@musicrec/core';
import { binRows, quantileBins } from './binning';
import { resolveRandomForestConfig, type RandomForestConfig } from './config';
import { GrowScratch, NodeBuffer, growTree } from './grow-tree';

/** The fitted trees as flat typed arrays (node n of any tree; feature −1 marks a leaf). */
export interface ForestArrays {
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float32Array;
}

/**
 * A random forest of regression trees (Breiman 2001) grown on quantile-binned features:
 * each tree sees a seeded bootstrap (or subsample) of the rows and tries a seeded subset of the features
 * at every node; a split sends x <= threshold left. On 0/1 labels the prediction (mean
 * of the trees' leaf means) estimates P(label = 1).
 */
export class RandomForest {
  private constructor(
    readonly nFeatures: number,
    readonly trees: ForestArrays,
    /** Impurity-decrease importance per feature, summing to 1 (all 0 when no tree split). */
    readonly importances: Float64Array,
  ) {}

  /**
   * Fits on `x` (row-major nRows × nFeatures, NaN allowed: it always goes right) and labels
   * `y`. Same seed, same data → the same forest.
   */
  static fit(
    x: Float32Array,
    y: Float32Array,
    nFeatures: number,
    params: Partial<RandomForestConfig>,
    seed: number,
  ): RandomForest {
    const config = resolveRandomForestConfig(params);
    if (!(Number.isInteger(nFeatures) && nFeatures >= 1)) throw new RangeError(`random-forest: nFeatures must be an integer >= 1, got ${nFeatures}`);
    const nRows = y.length;
    if (x.length !== nRows * nFeatures) {
      throw new RangeError(`random-forest: x has ${x.length} values, expected ${nRows} rows × ${nFeatures} features`);
    }
    if (nRows === 0) throw new RangeError('random-forest: no training rows');
    for (let r = 0; r < nRows; r++) {
      if (!Number.isFinite(y[r])) throw new RangeError(`random-forest: label of row ${r} is ${y[r]}, expected a finite number`);
    }
    const bins = quantileBins(x, nRows, nFeatures, config.bins);
    const codes = binRows(x, nRows, bins);
    const nodes = new NodeBuffer();
    const importance = new Float64Array(nFeatures);
    const scratch = new GrowScratch(nFeatures);
    const options = {
      maxDepth: config.maxDepth,
      minLeaf: config.minLeaf,
      featuresPerNode: Math.max(1, Math.round(config.featureFraction * nFeatures)),
    };
    const sampleSize = Math.max(1, Math.round(config.sampleFraction * nRows));
    const sample = new Int32Array(sampleSize);
    const sampleLabels = new Float32Array(sampleSize);
    const rowOrder = config.bootstrap ? new Int32Array(0) : new Int32Array(nRows);
    const roots = new Int32Array(config.trees);
    const rng = new Rng(seed);
    for (let t = 0; t < config.trees; t++) {
      const treeRng = rng.fork(t);
      if (config.bootstrap) {
        for (let s = 0; s < sampleSize; s++) sample[s] = treeRng.int(nRows);
      } else {
        // partial Fisher–Yates over all row indices: a uniform subset without repeats
        for (let r = 0; r < nRows; r++) rowOrder[r] = r;
        for (let s = 0; s < sampleSize; s++) {
          const pick = s + treeRng.int(nRows - s);
          sample[s] = rowOrder[pick];
          rowOrder[pick] = rowOrder[s];
        }
      }
      for (let s = 0; s < sampleSize; s++) sampleLabels[s] = y[sample[s]];
      roots[t] = growTree(codes, bins, sample, sampleLabels, options, treeRng, nodes, importance, scratch);
    }
    let total = 0;
    for (let f = 0; f < nFeatures; f++) total += importance[f];
    if (total > 0) for (let f = 0; f < nFeatures; f++) importance[f] /= total;
    const trees: ForestArrays = {
      roots,
      feature: Int32Array.from(nodes.feature),
      threshold: Float32Array.from(nodes.threshold),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      value: Float32Array.from(nodes.value),
    };
    return new RandomForest(nFeatures, trees, importance);
  }

  get nTrees(): number {
    return this.trees.roots.length;
  }

  get nNodes(): number {
    return this.trees.feature.length;
  }

  /** Mean leaf value over the trees for each row of `x` (row-major nRows × nFeatures). */
  predict(x: Float32Array, out?: Float32Array): Float32Array {
    const d = this.nFeatures;
    if (x.length % d !== 0) throw new RangeError(`random-forest: x has ${x.length} values, not a multiple of ${d} features`);
    const nRows = x.length / d;
    const result = out ?? new Float32Array(nRows);
    if (result.length !== nRows) throw new RangeError(`random-forest: out has length ${result.length}, expected ${nRows}`);
    const { roots, feature, threshold, left, right, value } = this.trees;
    const inv = 1 / roots.length;
    for (let r = 0; r < nRows; r++) {
      const base = r * d;
      let acc = 0;
      for (let t = 0; t < roots.length; t++) {
        let node = roots[t];
        let f = feature[node];
        while (f >= 0) {
          node = x[base + f] <= threshold[node] ? left[node] : right[node];
          f = feature[node];
        }
        acc += value[node];
      }
      result[r] = acc * inv;
    }
    return result;
  }

  /** Arrays for `saveModelDir` (names prefixed so they can sit beside a model's own arrays). */
  toArrays(prefix = 'forest'): Record<string, StoredArray> {
    const t = this.trees;
    return {
      [`${prefix}Roots`]: t.roots,
      [`${prefix}Feature`]: t.feature,
      [`${prefix}Threshold`]: t.threshold,
      [`${prefix}Left`]: t.left,
      [`${prefix}Right`]: t.right,
      [`${prefix}Value`]: t.value,
      [`${prefix}Importances`]: this.importances,
    };
  }

  /** Restores a forest saved with `toArrays`, checking every child index so a corrupt file fails here. */
  static fromArrays(arrays: Record<string, StoredArray>, nFeatures: number, file: string, prefix = 'forest'): RandomForest {
    const get = <C extends Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor>(name: string, ctor: C): InstanceType<C> => {
      const a = arrays[`${prefix}${name}`];
      if (!(a instanceof ctor)) throw new DataError(`missing ${ctor.name} array "${prefix}${name}"`, { file, field: `arrays.${prefix}${name}` });
      return a as InstanceType<C>;
    };
    const trees: ForestArrays = {
      roots: get('Roots', Int32Array),
      feature: get('Feature', Int32Array),
      threshold: get('Threshold', Float32Array),
      left: get('Left', Int32Array),
      right: get('Right', Int32Array),
      value: get('Value', Float32Array),
    };
    const importances = get('Importances', Float64Array);
    const n = trees.feature.length;
    if (importances.length !== nFeatures) {
      throw new DataError(`${importances.length} importances for ${nFeatures} features`, { file, field: `arrays.${prefix}Importances` });
    }
    for (const [name, a] of [['Threshold', trees.threshold], ['Left', trees.left], ['Right', trees.right], ['Value', trees.value]] as const) {
      if (a.length !== n) throw new DataError(`has ${a.length} nodes, feature array has ${n}`, { file, field: `arrays.${prefix}${name}` });
    }
    for (let t = 0; t < trees.roots.length; t++) {
      if (!(trees.roots[t] >= 0 && trees.roots[t] < n)) throw new DataError(`root of tree ${t} is ${trees.roots[t]}, outside [0, ${n})`, { file, field: `arrays.${prefix}Roots` });
    }
    for (let k = 0; k < n; k++) {
      const f = trees.feature[k];
      if (f < 0) continue;
      // children are always created after their parent, so this also rules out cycles
      if (f >= nFeatures || !(trees.left[k] > k && trees.left[k] < n) || !(trees.right[k] > k && trees.right[k] < n)) {
        throw new DataError(`node ${k} has feature ${f} and children ${trees.left[k]}, ${trees.right[k]} (nodes: ${n}, features: ${nFeatures})`, {
          file,
          field: `arrays.${prefix}Feature`,
        });
      }
    }
    return new RandomForest(nFeatures, trees, importances);
  }
}
