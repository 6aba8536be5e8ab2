import type { Rng } from '@musicrec/core';
import type { FeatureBins } from './binning';

/** Growable flat node storage shared by all trees of a forest (feature −1 marks a leaf). */
export class NodeBuffer {
  feature: number[] = [];
  threshold: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];

  add(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    return this.feature.length - 1;
  }

  get size(): number {
    return this.feature.length;
  }
}

export interface GrowOptions {
  maxDepth: number;
  minLeaf: number;
  /** Features tried per node. */
  featuresPerNode: number;
}

/** Bins per feature the scratch histograms hold (codes are bytes). */
const MAX_BINS = 256;

/** Scratch reused across nodes and trees, so growing allocates nothing per row. */
export class GrowScratch {
  /** Per tried feature j: count and label sum of bin b at [j * 256 + b]. */
  readonly count: Int32Array;
  readonly sum: Float64Array;
  readonly featureOrder: Int32Array;
  constructor(nFeatures: number) {
    this.count = new Int32Array(nFeatures * MAX_BINS);
    this.sum = new Float64Array(nFeatures * MAX_BINS);
    this.featureOrder = new Int32Array(nFeatures);
  }
}

/**
 * Grows one regression tree on the bootstrap rows `sample` (row indices, repeats allowed)
 * with their labels `labels` (both reordered in place, kept aligned) by histogram splits
 * over row-major bin codes. A split maximises the squared-error decrease
 * sum_L²/n_L + sum_R²/n_R − sum²/n; that decrease is added to `importance[feature]`
 * (impurity-decrease importance). Returns the root's node index.
 */
export function growTree(
  codes: Uint8Array,
  bins: FeatureBins,
  sample: Int32Array,
  labels: Float32Array,
  options: GrowOptions,
  rng: Rng,
  nodes: NodeBuffer,
  importance: Float64Array,
  scratch: GrowScratch,
): number {
  const { nFeatures, offsets, edges } = bins;
  const { count, sum, featureOrder } = scratch;
  const m = options.featuresPerNode;
  const root = nodes.add();
  // explicit stack of (node, start, end, depth)
  const stack: number[] = [root, 0, sample.length, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const n = end - start;
    let total = 0;
    let totalSq = 0;
    for (let p = start; p < end; p++) {
      const v = labels[p];
      total += v;
      totalSq += v * v;
    }
    nodes.value[node] = total / n;
    const parentTerm = (total * total) / n;
    // pure node (sse = 0) or too small / too deep to split
    if (depth >= options.maxDepth || n < 2 * options.minLeaf || totalSq - parentTerm <= 1e-12 * n) continue;

    // partial Fisher–Yates: featureOrder[0..m) becomes a uniform subset of the features
    for (let f = 0; f < nFeatures; f++) featureOrder[f] = f;
    for (let j = 0; j < m; j++) {
      const pick = j + rng.int(nFeatures - j);
      const f = featureOrder[pick];
      featureOrder[pick] = featureOrder[j];
      featureOrder[j] = f;
      count.fill(0, j * MAX_BINS, j * MAX_BINS + offsets[f + 1] - offsets[f] + 1);
      sum.fill(0, j * MAX_BINS, j * MAX_BINS + offsets[f + 1] - offsets[f] + 1);
    }
    // one pass over the node's rows fills the histograms of all tried features
    for (let p = start; p < end; p++) {
      const row = sample[p] * nFeatures;
      const v = labels[p];
      for (let j = 0; j < m; j++) {
        const h = j * MAX_BINS + codes[row + featureOrder[j]];
        count[h]++;
        sum[h] += v;
      }
    }
    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = -1;
    for (let j = 0; j < m; j++) {
      const f = featureOrder[j];
      const nBins = offsets[f + 1] - offsets[f] + 1;
      let nLeft = 0;
      let sLeft = 0;
      for (let b = 0; b < nBins - 1; b++) {
        nLeft += count[j * MAX_BINS + b];
        sLeft += sum[j * MAX_BINS + b];
        if (nLeft < options.minLeaf) continue;
        const nRight = n - nLeft;
        if (nRight < options.minLeaf) break;
        const sRight = total - sLeft;
        const gain = (sLeft * sLeft) / nLeft + (sRight * sRight) / nRight - parentTerm;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) continue;

    // partition [start, end): rows with bin <= bestBin first, labels moved alongside
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      if (codes[sample[lo] * nFeatures + bestFeature] <= bestBin) lo++;
      else {
        const t = sample[lo];
        sample[lo] = sample[hi];
        sample[hi] = t;
        const v = labels[lo];
        labels[lo] = labels[hi];
        labels[hi] = v;
        hi--;
      }
    }
    importance[bestFeature] += bestGain;
    const left = nodes.add();
    const right = nodes.add();
    nodes.feature[node] = bestFeature;
    nodes.threshold[node] = edges[offsets[bestFeature] + bestBin];
    nodes.left[node] = left;
    nodes.right[node] = right;
    stack.push(right, lo, end, depth + 1, left, start, lo, depth + 1);
  }
  return root;
}
