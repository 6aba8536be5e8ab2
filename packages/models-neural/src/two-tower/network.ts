import * as tf from '@tensorflow/tfjs-core';
import type { Interactions, Rng } from '@musicrec/core';
import type { TwoTowerConfig } from './config';
import type { PairBatch } from './pair-batches';
import { denseMlpForward, l2NormalizeRows, type DenseWeights } from './dense-math';

/** Items (or users) turned into vectors per TF.js call when computing all factors. */
const FACTOR_CHUNK = 4096;

/** The trained numbers of a Two-Tower model, as plain arrays (save, JS inference). */
export interface TwoTowerWeights {
  userEmbedding: Float32Array;
  itemEmbedding: Float32Array;
  /** content → hidden (absent when contentHidden = 0) and hidden (or content) → dim. */
  contentLayers: DenseWeights[];
}

export interface TwoTowerShape {
  nUsers: number;
  nItems: number;
  contentDim: number;
}

/**
 * The two towers as TF.js variables. User tower: id embedding (+ mean of history item id
 * embeddings); item tower: id embedding + MLP(content). Both L2-normalised; the loss is an
 * in-batch sampled softmax over cosine / temperature with optional logQ correction.
 */
export class TwoTowerNetwork {
  readonly userEmbedding: tf.Variable;
  readonly itemEmbedding: tf.Variable;
  readonly layerVars: { weight: tf.Variable; bias: tf.Variable }[];
  readonly variables: tf.Variable[];
  private readonly content: tf.Tensor2D;
  private readonly logQ: tf.Tensor1D | null;

  constructor(
    readonly shape: TwoTowerShape,
    content: Float32Array,
    itemFrequency: Float32Array | null,
    readonly config: TwoTowerConfig,
    rng: Rng,
  ) {
    const { nUsers, nItems, contentDim } = shape;
    const d = config.dim;
    this.userEmbedding = tf.variable(tf.tensor2d(rng.normalArray(nUsers * d, 0.1), [nUsers, d]));
    // zero id embeddings: an item never seen in training keeps exactly its content embedding
    this.itemEmbedding = tf.variable(tf.zeros([nItems, d]));
    const sizes = config.contentHidden > 0 ? [contentDim, config.contentHidden, d] : [contentDim, d];
    this.layerVars = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const std = Math.sqrt(2 / (sizes[l] + sizes[l + 1]));
      this.layerVars.push({
        weight: tf.variable(tf.tensor2d(rng.normalArray(sizes[l] * sizes[l + 1], std), [sizes[l], sizes[l + 1]])),
        bias: tf.variable(tf.zeros([sizes[l + 1]])),
      });
    }
    this.variables = [this.userEmbedding, this.itemEmbedding, ...this.layerVars.flatMap((v) => [v.weight, v.bias])];
    this.content = tf.tensor2d(content, [nItems, contentDim]);
    this.logQ = itemFrequency ? (tf.log(tf.maximum(tf.tensor1d(itemFrequency), 1e-12)) as tf.Tensor1D) : null;
  }

  /** Normalised user vectors: id embedding plus the weighted (mean) history id embeddings. */
  userVectors(users: tf.Tensor1D, history?: tf.Tensor2D, historyWeight?: tf.Tensor2D): tf.Tensor2D {
    let u = tf.gather(this.userEmbedding, users) as tf.Tensor2D;
    if (history && historyWeight && history.shape[1] > 0) {
      const [b, L] = history.shape;
      const h = tf.reshape(tf.gather(this.itemEmbedding, tf.reshape(history, [b * L])), [b, L, this.config.dim]);
      u = tf.add(u, tf.sum(tf.mul(h, tf.expandDims(historyWeight, 2)), 1));
    }
    return normalize(u);
  }

  /** Normalised item vectors: id embedding + MLP over the item's content row. */
  itemVectors(items: tf.Tensor1D): tf.Tensor2D {
    let h = tf.gather(this.content, items) as tf.Tensor2D;
    this.layerVars.forEach((layer, l) => {
      h = tf.add(tf.matMul(h, layer.weight as tf.Tensor2D), layer.bias);
      if (l + 1 < this.layerVars.length) h = tf.relu(h);
    });
    return normalize(tf.add(h, tf.gather(this.itemEmbedding, items)));
  }

  /**
   * Mean over the batch of −log softmax(row b)[b], logits[b, j] = cos(u_b, v_j) / τ − log q_j.
   * A column whose item equals the row's positive item (a duplicate in the batch) is masked
   * out: it is the same positive, not a negative.
   */
  loss(batch: PairBatch): tf.Scalar {
    const b = batch.users.length;
    const users = tf.tensor1d(batch.users, 'int32');
    const items = tf.tensor1d(batch.items, 'int32');
    const L = batch.historyLength;
    const u = L > 0
      ? this.userVectors(users, tf.tensor2d(batch.history, [b, L], 'int32'), tf.tensor2d(batch.historyWeight, [b, L]))
      : this.userVectors(users);
    const v = this.itemVectors(items);
    let logits: tf.Tensor2D = tf.div(tf.matMul(u, v, false, true), this.config.temperature);
    if (this.config.logQCorrection && this.logQ) logits = tf.sub(logits, tf.reshape(tf.gather(this.logQ, items), [1, b]));
    const duplicates = duplicateMask(batch.items);
    if (duplicates) logits = tf.add(logits, tf.tensor2d(duplicates, [b, b]));
    // row r's positive is column r: the loss is −log softmax on the diagonal. logSoftmax has its
    // own gradient; logSumExp − positive computes the same number, but the gradient of its max
    // is an Equal over the b × b logits that took a third of the step on wasm
    let loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.eye(b)), 1))) as tf.Scalar;
    if (this.config.l2 > 0) {
      const penalty = tf.add(tf.sum(tf.square(tf.gather(this.userEmbedding, users))), tf.sum(tf.square(tf.gather(this.itemEmbedding, items))));
      loss = tf.add(loss, tf.mul(penalty, this.config.l2 / b));
    }
    return loss;
  }

  /** All item vectors (nItems × dim), computed in chunks. */
  allItemFactors(): Float32Array {
    const { nItems } = this.shape;
    const d = this.config.dim;
    const out = new Float32Array(nItems * d);
    for (let start = 0; start < nItems; start += FACTOR_CHUNK) {
      const end = Math.min(nItems, start + FACTOR_CHUNK);
      const chunk = tf.tidy(() => this.itemVectors(tf.range(start, end, 1, 'int32') as tf.Tensor1D));
      out.set(chunk.dataSync() as Float32Array, start * d);
      chunk.dispose();
    }
    return out;
  }

  /** The trained numbers as plain arrays. */
  weights(): TwoTowerWeights {
    return {
      userEmbedding: this.userEmbedding.dataSync() as Float32Array,
      itemEmbedding: this.itemEmbedding.dataSync() as Float32Array,
      contentLayers: this.layerVars.map((l) => ({ weight: l.weight.dataSync() as Float32Array, bias: l.bias.dataSync() as Float32Array })),
    };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.content.dispose();
    this.logQ?.dispose();
  }
}

/**
 * −1e9 at (r, c) where column c holds row r's own positive item again (c ≠ r), else 0; null
 * when the batch has no repeated item. Built in JS: an O(B log B) sort finds the repeats, so
 * no B × B comparison runs on the backend.
 */
export function duplicateMask(items: Int32Array): Float32Array | null {
  const b = items.length;
  const order = Int32Array.from({ length: b }, (_, k) => k).sort((x, y) => items[x] - items[y] || x - y);
  let mask: Float32Array | null = null;
  for (let start = 0; start < b; ) {
    let end = start + 1;
    while (end < b && items[order[end]] === items[order[start]]) end++;
    if (end - start > 1) {
      mask ??= new Float32Array(b * b);
      for (let p = start; p < end; p++) for (let q = start; q < end; q++) if (p !== q) mask[order[p] * b + order[q]] = -1e9;
    }
    start = end;
  }
  return mask;
}

function normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12)));
}

/**
 * User vectors for scoring from plain arrays: id embedding plus the mean id embedding of all
 * the user's training items (when the model uses history), L2-normalised. JS, no TF.js.
 */
export function userFactorsOf(w: TwoTowerWeights, train: Interactions, dim: number, useHistory: boolean): Float32Array {
  const out = w.userEmbedding.slice();
  if (useHistory) {
    for (let u = 0; u < train.nUsers; u++) {
      const items = train.itemsOf(u);
      if (items.length === 0) continue;
      const s = 1 / items.length;
      for (const i of items) for (let f = 0; f < dim; f++) out[u * dim + f] += s * w.itemEmbedding[i * dim + f];
    }
  }
  l2NormalizeRows(out, dim);
  return out;
}

/** Item vectors from content rows alone (zero id embedding), in JS: the cold-item path. */
export function contentItemFactors(layers: DenseWeights[], content: Float32Array, n: number): Float32Array {
  const out = denseMlpForward(layers, content, n);
  l2NormalizeRows(out, layers[layers.length - 1].bias.length);
  return out;
}
