import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@musicrec/core';

/** Shapes of a SASRec network: nItems real items (input id 0 is padding, item i is id i + 1). */
export interface SasRecShape {
  nItems: number;
  factors: number;
  heads: number;
  blocks: number;
  maxLen: number;
}

/** One training batch: rows of input ids, next-item targets and sampled negatives (0 = no target). */
export interface SasRecBatch {
  inputs: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  /** Item ids shared as negatives by every target of the batch (sampled softmax; empty for BCE). */
  sharedNegatives: Int32Array;
  rows: number;
  length: number;
  /** Number of targets (positions with a next item): the batch's examples. */
  targets: number;
  /** Seeds this batch's dropout masks. */
  dropoutSeed: number;
}

interface BlockWeights {
  ln1Gamma: tf.Variable;
  ln1Beta: tf.Variable;
  wq: tf.Variable;
  wk: tf.Variable;
  wv: tf.Variable;
  bq: tf.Variable;
  bk: tf.Variable;
  bv: tf.Variable;
  ln2Gamma: tf.Variable;
  ln2Beta: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

// attention logit of a masked (future or padding) key: exp() of it underflows to exactly 0
const MASKED = -1e9;
const LN_EPSILON = 1e-8;

/**
 * The SASRec network as plain TF.js variables. `weightNames` fixes the order in which weights
 * are listed, saved and loaded. Padding (input id 0) is zeroed after the embedding and after
 * every block and masked out of every attention row, so left-padding changes nothing; positions
 * are counted from the end of the window (the latest event always uses row maxLen − 1), so a
 * shorter window with fewer pads gives the same output.
 */
export class SasRecNetwork {
  readonly itemEmbedding: tf.Variable;
  readonly positionEmbedding: tf.Variable;
  private readonly blockWeights: BlockWeights[];
  readonly lnFinalGamma: tf.Variable;
  readonly lnFinalBeta: tf.Variable;

  constructor(
    readonly shape: SasRecShape,
    init: Record<string, Float32Array>,
  ) {
    const { nItems, factors: d, blocks, maxLen } = shape;
    const v = (name: string, dims: number[]): tf.Variable => {
      const values = init[name];
      const size = dims.reduce((a, b) => a * b, 1);
      if (!values || values.length !== size) throw new RangeError(`sasrec: weight ${name} needs ${size} values, got ${values?.length}`);
      return tf.variable(tf.tensor(values, dims, 'float32'), true, `sasrec/${name}/${variableSerial++}`);
    };
    this.itemEmbedding = v('itemEmbedding', [nItems + 1, d]);
    this.positionEmbedding = v('positionEmbedding', [maxLen, d]);
    this.blockWeights = [];
    for (let b = 0; b < blocks; b++) {
      const w = (n: string, dims: number[]): tf.Variable => v(`block${b}.${n}`, dims);
      this.blockWeights.push({
        ln1Gamma: w('ln1Gamma', [d]),
        ln1Beta: w('ln1Beta', [d]),
        wq: w('wq', [d, d]),
        wk: w('wk', [d, d]),
        wv: w('wv', [d, d]),
        bq: w('bq', [d]),
        bk: w('bk', [d]),
        bv: w('bv', [d]),
        ln2Gamma: w('ln2Gamma', [d]),
        ln2Beta: w('ln2Beta', [d]),
        w1: w('w1', [d, d]),
        b1: w('b1', [d]),
        w2: w('w2', [d, d]),
        b2: w('b2', [d]),
      });
    }
    this.lnFinalGamma = v('lnFinalGamma', [d]);
    this.lnFinalBeta = v('lnFinalBeta', [d]);
  }

  /** Name → shape of every weight, in save order. */
  static weightShapes(shape: SasRecShape): [string, number[]][] {
    const { nItems, factors: d, blocks, maxLen } = shape;
    const out: [string, number[]][] = [
      ['itemEmbedding', [nItems + 1, d]],
      ['positionEmbedding', [maxLen, d]],
    ];
    for (let b = 0; b < blocks; b++) {
      for (const [n, dims] of [
        ['ln1Gamma', [d]], ['ln1Beta', [d]], ['wq', [d, d]], ['wk', [d, d]], ['wv', [d, d]], ['bq', [d]], ['bk', [d]],
        ['bv', [d]], ['ln2Gamma', [d]], ['ln2Beta', [d]], ['w1', [d, d]], ['b1', [d]], ['w2', [d, d]], ['b2', [d]],
      ] as [string, number[]][]) {
        out.push([`block${b}.${n}`, dims]);
      }
    }
    out.push(['lnFinalGamma', [d]], ['lnFinalBeta', [d]]);
    return out;
  }

  /**
   * Seeded initial weights: embeddings N(0, 1/√d) (the padding row is masked, so its value never
   * matters), dense kernels Glorot-uniform, biases 0, LayerNorm gains 1.
   */
  static initialWeights(shape: SasRecShape, rng: Rng): Record<string, Float32Array> {
    const d = shape.factors;
    const out: Record<string, Float32Array> = {};
    for (const [name, dims] of SasRecNetwork.weightShapes(shape)) {
      const size = dims.reduce((a, b) => a * b, 1);
      const leaf = name.slice(name.lastIndexOf('.') + 1);
      if (leaf === 'itemEmbedding' || leaf === 'positionEmbedding') out[name] = rng.normalArray(size, 1 / Math.sqrt(d));
      else if (leaf.endsWith('Gamma')) out[name] = new Float32Array(size).fill(1);
      else if (dims.length === 2) {
        const limit = Math.sqrt(6 / (dims[0] + dims[1]));
        const a = new Float32Array(size);
        for (let k = 0; k < size; k++) a[k] = (2 * rng.next() - 1) * limit;
        out[name] = a;
      } else out[name] = new Float32Array(size);
    }
    return out;
  }

  get variables(): tf.Variable[] {
    const out = [this.itemEmbedding, this.positionEmbedding];
    for (const b of this.blockWeights) {
      out.push(b.ln1Gamma, b.ln1Beta, b.wq, b.wk, b.wv, b.bq, b.bk, b.bv, b.ln2Gamma, b.ln2Beta, b.w1, b.b1, b.w2, b.b2);
    }
    out.push(this.lnFinalGamma, this.lnFinalBeta);
    return out;
  }

  /** Current weights by name (copies), in save order. */
  readWeights(): Record<string, Float32Array> {
    const vars = this.variables;
    const out: Record<string, Float32Array> = {};
    SasRecNetwork.weightShapes(this.shape).forEach(([name], k) => {
      out[name] = vars[k].dataSync() as Float32Array;
    });
    return out;
  }

  /** Overwrites every weight (restoring the best checkpoint). */
  writeWeights(weights: Record<string, Float32Array>): void {
    const vars = this.variables;
    SasRecNetwork.weightShapes(this.shape).forEach(([name, dims], k) => {
      tf.tidy(() => vars[k].assign(tf.tensor(weights[name], dims, 'float32')));
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  /**
   * Hidden states [rows, length, d] of a batch of left-padded id windows (length ≤ maxLen).
   * `dropoutSeed` (training only) seeds every dropout mask of this call.
   */
  hidden(inputs: tf.Tensor2D, dropoutRate: number, dropoutSeed?: number): tf.Tensor3D {
    const [rows, length] = inputs.shape;
    const { factors: d, heads, maxLen } = this.shape;
    const dh = d / heads;
    let seedCounter = 0;
    const drop = <T extends tf.Tensor>(x: T): T =>
      dropoutSeed === undefined || dropoutRate === 0 ? x : (tf.dropout(x, dropoutRate, undefined, dropoutSeed + seedCounter++) as T);

    const mask = tf.reshape(tf.cast(tf.greater(inputs, 0), 'float32'), [rows, length, 1]);
    const positions = tf.slice(this.positionEmbedding, [maxLen - length, 0], [length, d]);
    let h = tf.add(tf.mul(tf.gather(this.itemEmbedding, inputs), Math.sqrt(d)), positions) as tf.Tensor3D;
    h = tf.mul(drop(h), mask);

    // additive attention bias [rows, 1, length, length]: future keys and padding keys masked
    const causal = tf.linalg.bandPart(tf.ones([length, length]), -1, 0);
    const keyValid = tf.reshape(mask, [rows, 1, 1, length]);
    const bias = tf.mul(tf.sub(1, tf.mul(tf.reshape(causal, [1, 1, length, length]), keyValid)), MASKED);

    const splitHeads = (x: tf.Tensor): tf.Tensor4D => tf.transpose(tf.reshape(x, [rows, length, heads, dh]), [0, 2, 1, 3]);
    for (const w of this.blockWeights) {
      const a = layerNorm(h, w.ln1Gamma, w.ln1Beta);
      const flat = tf.reshape(a, [rows * length, d]);
      const q = splitHeads(tf.add(tf.matMul(flat, w.wq), w.bq));
      // keys split straight into [rows, heads, dh, length]: the wasm matMul is slow with transposeB
      const kT = tf.transpose(tf.reshape(tf.add(tf.matMul(flat, w.wk), w.bk), [rows, length, heads, dh]), [0, 2, 3, 1]);
      const v = splitHeads(tf.add(tf.matMul(flat, w.wv), w.bv));
      const logits = tf.add(tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(dh)), bias);
      const attention = drop(tf.softmax(logits));
      const context = tf.reshape(tf.transpose(tf.matMul(attention, v), [0, 2, 1, 3]), [rows, length, d]);
      h = tf.add(h, drop(context)) as tf.Tensor3D;

      const f = tf.reshape(layerNorm(h, w.ln2Gamma, w.ln2Beta), [rows * length, d]);
      const ffn = tf.reshape(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(f, w.w1), w.b1)), w.w2), w.b2), [rows, length, d]);
      h = tf.mul(tf.add(h, drop(ffn)), mask) as tf.Tensor3D;
    }
    return tf.mul(layerNorm(h, this.lnFinalGamma, this.lnFinalBeta), mask) as tf.Tensor3D;
  }

  /**
   * Mean binary cross-entropy over the positions that have a target:
   * −[log σ(h·e_pos) + log σ(−h·e_neg)], plus l2 · ‖embeddings of the batch's items‖² / rows.
   */
  loss(batch: SasRecBatch, dropoutRate: number, dropoutSeed: number | undefined, l2: number): tf.Scalar {
    const { rows, length } = batch;
    const d = this.shape.factors;
    const inputs = tf.tensor2d(batch.inputs, [rows, length], 'int32');
    const pos = tf.tensor1d(batch.positives, 'int32');
    const neg = tf.tensor1d(batch.negatives, 'int32');
    const h = tf.reshape(this.hidden(inputs, dropoutRate, dropoutSeed), [rows * length, d]);
    const posE = tf.gather(this.itemEmbedding, pos);
    const negE = tf.gather(this.itemEmbedding, neg);
    const posLogit = tf.sum(tf.mul(h, posE), 1);
    const negLogit = tf.sum(tf.mul(h, negE), 1);
    const has = tf.cast(tf.greater(pos, 0), 'float32');
    const perPosition = batch.sharedNegatives.length > 0 ? this.sampledSoftmax(h as tf.Tensor2D, posLogit as tf.Tensor1D, pos, batch.sharedNegatives)
      // −log σ(x) = softplus(−x); tf.logSigmoid's custom gradient breaks under variableGrads in tfjs 4.22
      : tf.add(tf.softplus(tf.neg(posLogit)), tf.softplus(negLogit));
    const count = tf.maximum(tf.sum(has), 1);
    let loss = tf.div(tf.sum(tf.mul(perPosition, has)), count) as tf.Scalar;
    if (l2 > 0) {
      const penalty = tf.add(tf.sum(tf.square(posE)), tf.sum(tf.square(negE)));
      loss = tf.add(loss, tf.mul(penalty, l2 / rows)) as tf.Scalar;
    }
    return loss;
  }

  /**
   * Per-position cross-entropy of the positive against the batch's shared uniform negatives:
   * logsumexp([s_pos, s_neg…]) − s_pos, a shared negative equal to the positive masked out.
   */
  private sampledSoftmax(h: tf.Tensor2D, posLogit: tf.Tensor1D, pos: tf.Tensor1D, shared: Int32Array): tf.Tensor1D {
    const ids = tf.tensor1d(shared, 'int32');
    const negLogits = tf.matMul(h, tf.transpose(tf.gather(this.itemEmbedding, ids))); // [positions, n]
    const accidental = tf.cast(tf.equal(tf.reshape(pos, [-1, 1]), tf.reshape(ids, [1, -1])), 'float32');
    const logits = tf.concat([tf.reshape(posLogit, [-1, 1]), tf.add(negLogits, tf.mul(accidental, MASKED))], 1);
    return tf.sub(tf.logSumExp(logits, 1), posLogit) as tf.Tensor1D;
  }

  /** Scores of every real item (columns 0..nItems−1) from the last position of each window: [rows, nItems]. */
  scoreLast(inputs: tf.Tensor2D): tf.Tensor2D {
    const [rows, length] = inputs.shape;
    const d = this.shape.factors;
    const last = tf.reshape(tf.slice(this.hidden(inputs, 0), [0, length - 1, 0], [rows, 1, d]), [rows, d]);
    // an explicit transpose: the wasm backend's matMul is several times slower with transposeB
    const itemsT = tf.transpose(tf.slice(this.itemEmbedding, [1, 0], [this.shape.nItems, d]));
    return tf.matMul(last, itemsT) as tf.Tensor2D;
  }
}

let variableSerial = 0;

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LN_EPSILON))), gamma), beta);
}
