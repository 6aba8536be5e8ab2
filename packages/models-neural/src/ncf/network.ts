import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@musicrec/core';
import type { PointwiseExamples } from '../training';
import type { NcfConfig } from './config';

/** One dense layer's weights, `weight` in×out row-major (TF.js kernel layout). */
export interface NcfDenseLayer {
  weight: Float32Array;
  bias: Float32Array;
  activation: 'relu';
}

/**
 * Everything inference needs, as plain row-major float32 arrays (the ONNX exporter's input):
 * logit(u, i) = [gmfU[u] ⊙ gmfI[i], mlp(concat(mlpU[u], mlpI[i]))] · output.weight + output.bias.
 * Scores are logits (the sigmoid does not change the ranking).
 */
export interface NcfInferenceWeights {
  nUsers: number;
  nItems: number;
  gmf?: { userEmb: Float32Array; itemEmb: Float32Array };
  mlp?: { userEmb: Float32Array; itemEmb: Float32Array; layers: NcfDenseLayer[] };
  output: { weight: Float32Array; bias: Float32Array };
  sigmoid: false;
}

export interface NcfShape {
  nUsers: number;
  nItems: number;
}

type NetworkOptions = Pick<NcfConfig, 'variant' | 'factors' | 'mlpLayers' | 'l2'>;

/** Floats one scoring chunk may hold in its widest intermediate ([users, items, width]). */
const SCORE_CHUNK_FLOATS = 1 << 22;

/** Glorot-uniform kernel (Keras' Dense default), drawn from the seeded stream. */
function glorot(rng: Rng, inDim: number, outDim: number): Float32Array {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let k = 0; k < w.length; k++) w[k] = (2 * rng.next() - 1) * limit;
  return w;
}

/** The NCF network's variables and its two forward passes (training pairs, all-item scoring). */
export class NcfNetwork {
  readonly gmfUser: tf.Variable | null;
  readonly gmfItem: tf.Variable | null;
  readonly mlpUser: tf.Variable | null;
  readonly mlpItem: tf.Variable | null;
  readonly layers: { weight: tf.Variable; bias: tf.Variable }[];
  readonly outWeight: tf.Variable;
  readonly outBias: tf.Variable;
  readonly variables: tf.Variable[];
  private readonly gmfDim: number;
  private readonly mlpDim: number;

  private constructor(
    readonly shape: NcfShape,
    private readonly options: NetworkOptions,
    w: Omit<NcfInferenceWeights, 'nUsers' | 'nItems' | 'sigmoid'>,
  ) {
    const { nUsers, nItems } = shape;
    const v = (values: Float32Array, dims: number[]): tf.Variable => tf.variable(tf.tensor(values, dims, 'float32'));
    this.gmfDim = w.gmf ? w.gmf.userEmb.length / nUsers : 0;
    this.mlpDim = w.mlp ? w.mlp.userEmb.length / nUsers : 0;
    this.gmfUser = w.gmf ? v(w.gmf.userEmb, [nUsers, this.gmfDim]) : null;
    this.gmfItem = w.gmf ? v(w.gmf.itemEmb, [nItems, this.gmfDim]) : null;
    this.mlpUser = w.mlp ? v(w.mlp.userEmb, [nUsers, this.mlpDim]) : null;
    this.mlpItem = w.mlp ? v(w.mlp.itemEmb, [nItems, this.mlpDim]) : null;
    this.layers = (w.mlp?.layers ?? []).map((l) => ({
      weight: v(l.weight, [l.weight.length / l.bias.length, l.bias.length]),
      bias: v(l.bias, [l.bias.length]),
    }));
    this.outWeight = v(w.output.weight, [w.output.weight.length, 1]);
    this.outBias = v(w.output.bias, [1]);
    this.variables = [this.gmfUser, this.gmfItem, this.mlpUser, this.mlpItem].filter((x): x is tf.Variable => x !== null);
    for (const l of this.layers) this.variables.push(l.weight, l.bias);
    this.variables.push(this.outWeight, this.outBias);
  }

  /** A fresh network: embeddings N(0, 0.01²) as in the paper, dense kernels Glorot-uniform, biases 0. */
  static initial(shape: NcfShape, options: NetworkOptions, rng: Rng): NcfNetwork {
    const { nUsers, nItems } = shape;
    const hasGmf = options.variant !== 'mlp';
    const hasMlp = options.variant !== 'gmf';
    const half = options.mlpLayers[0] / 2;
    const layers: NcfDenseLayer[] = [];
    for (let l = 1; l < options.mlpLayers.length; l++) {
      const inDim = options.mlpLayers[l - 1];
      const outDim = options.mlpLayers[l];
      layers.push({ weight: glorot(rng, inDim, outDim), bias: new Float32Array(outDim), activation: 'relu' });
    }
    const outIn = (hasGmf ? options.factors : 0) + (hasMlp ? options.mlpLayers[options.mlpLayers.length - 1] : 0);
    return new NcfNetwork(shape, options, {
      gmf: hasGmf ? { userEmb: rng.normalArray(nUsers * options.factors, 0.01), itemEmb: rng.normalArray(nItems * options.factors, 0.01) } : undefined,
      mlp: hasMlp ? { userEmb: rng.normalArray(nUsers * half, 0.01), itemEmb: rng.normalArray(nItems * half, 0.01), layers } : undefined,
      output: { weight: glorot(rng, outIn, 1), bias: new Float32Array(1) },
    });
  }

  /** A network holding saved weights. */
  static fromWeights(w: NcfInferenceWeights, options: NetworkOptions): NcfNetwork {
    return new NcfNetwork({ nUsers: w.nUsers, nItems: w.nItems }, options, w);
  }

  /** Logits of (users[k], items[k]) pairs, shape [batch]. */
  pairLogits(users: tf.Tensor, items: tf.Tensor): tf.Tensor {
    const parts: tf.Tensor[] = [];
    if (this.gmfUser && this.gmfItem) parts.push(tf.mul(tf.gather(this.gmfUser, users), tf.gather(this.gmfItem, items)));
    if (this.mlpUser && this.mlpItem) {
      let h: tf.Tensor = tf.concat([tf.gather(this.mlpUser, users), tf.gather(this.mlpItem, items)], 1);
      for (const l of this.layers) h = tf.relu(tf.add(tf.matMul(h, l.weight), l.bias));
      parts.push(h);
    }
    const joined = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
    return tf.reshape(tf.add(tf.matMul(joined, this.outWeight), this.outBias), [-1]);
  }

  /** Mean log loss of a batch of labelled pairs plus the L2 penalty of the looked-up embeddings. */
  loss(batch: PointwiseExamples): tf.Scalar {
    const users = tf.tensor1d(batch.users, 'int32');
    const items = tf.tensor1d(batch.items, 'int32');
    const labels = tf.tensor1d(batch.labels, 'float32');
    const logits = this.pairLogits(users, items);
    // log(1 + e^x) − y·x is the sigmoid cross-entropy, stable for large |x|
    let loss = tf.mean(tf.sub(tf.softplus(logits), tf.mul(labels, logits))) as tf.Scalar;
    if (this.options.l2 > 0) {
      const penalties: tf.Scalar[] = [];
      for (const [table, ids] of [
        [this.gmfUser, users],
        [this.gmfItem, items],
        [this.mlpUser, users],
        [this.mlpItem, items],
      ] as const) {
        if (table) penalties.push(tf.div(tf.sum(tf.square(tf.gather(table, ids))), batch.users.length) as tf.Scalar);
      }
      loss = tf.add(loss, tf.mul(tf.addN(penalties), this.options.l2)) as tf.Scalar;
    }
    return loss;
  }

  /**
   * Logits of every item for each of `users`, written row by row into `out` (users.length ×
   * nItems). Users go through in chunks so the [users, items, width] MLP activations stay
   * under SCORE_CHUNK_FLOATS. The MLP's first layer is split as u·W_u + (i·W_i + b), the item
   * half computed once per call for all items.
   */
  scoreAllItems(users: Int32Array, out: Float32Array): Float32Array {
    const { nItems } = this.shape;
    const widest = this.mlpDim > 0 ? Math.max(...this.options.mlpLayers.slice(1)) : 1;
    const chunk = Math.max(1, Math.floor(SCORE_CHUNK_FLOATS / (nItems * widest)));
    tf.tidy(() => {
      const mlpItemPart = this.mlpItem ? this.mlpFirstItemPart() : null;
      const gmfItemT = this.gmfItem ? tf.transpose(this.gmfItem) : null;
      for (let start = 0; start < users.length; start += chunk) {
        const ids = users.subarray(start, Math.min(users.length, start + chunk));
        const logits = tf.tidy(() => this.chunkLogits(tf.tensor1d(ids, 'int32'), mlpItemPart, gmfItemT));
        out.set(logits.dataSync() as Float32Array, start * nItems);
        logits.dispose();
      }
    });
    return out;
  }

  /** i·W_i + b for every item: the item half of the MLP's first layer, [nItems, h1]. */
  private mlpFirstItemPart(): tf.Tensor {
    const first = this.layers[0];
    const itemRows = tf.slice(first.weight, [this.mlpDim, 0], [this.mlpDim, -1]);
    return tf.add(tf.matMul(this.mlpItem!, itemRows), first.bias);
  }

  private chunkLogits(users: tf.Tensor, mlpItemPart: tf.Tensor | null, gmfItemT: tf.Tensor | null): tf.Tensor {
    const { nItems } = this.shape;
    const b = users.shape[0];
    let logits: tf.Tensor | null = null;
    if (this.gmfUser && gmfItemT) {
      // (u ⊙ i)·h = (u ⊙ h)·i: one matmul against the item matrix
      const h = tf.reshape(tf.slice(this.outWeight, [0, 0], [this.gmfDim, 1]), [1, this.gmfDim]);
      logits = tf.matMul(tf.mul(tf.gather(this.gmfUser, users), h), gmfItemT);
    }
    if (this.mlpUser && mlpItemPart) {
      const first = this.layers[0];
      const userRows = tf.slice(first.weight, [0, 0], [this.mlpDim, -1]);
      const userPart = tf.matMul(tf.gather(this.mlpUser, users), userRows); // [b, h1]
      const width1 = userPart.shape[1]!;
      let h: tf.Tensor = tf.reshape(tf.relu(tf.add(tf.reshape(userPart, [b, 1, width1]), mlpItemPart)), [b * nItems, width1]);
      for (let l = 1; l < this.layers.length; l++) h = tf.relu(tf.add(tf.matMul(h, this.layers[l].weight), this.layers[l].bias));
      const outRows = tf.slice(this.outWeight, [this.gmfDim, 0], [-1, 1]);
      const mlpLogits = tf.reshape(tf.matMul(h, outRows), [b, nItems]);
      logits = logits ? tf.add(logits, mlpLogits) : mlpLogits;
    }
    return tf.add(logits!, this.outBias);
  }

  /** Current weights as plain arrays (copies). */
  weights(): NcfInferenceWeights {
    const read = (v: tf.Variable): Float32Array => Float32Array.from(v.dataSync() as Float32Array);
    return {
      nUsers: this.shape.nUsers,
      nItems: this.shape.nItems,
      gmf: this.gmfUser && this.gmfItem ? { userEmb: read(this.gmfUser), itemEmb: read(this.gmfItem) } : undefined,
      mlp:
        this.mlpUser && this.mlpItem
          ? {
              userEmb: read(this.mlpUser),
              itemEmb: read(this.mlpItem),
              layers: this.layers.map((l) => ({ weight: read(l.weight), bias: read(l.bias), activation: 'relu' as const })),
            }
          : undefined,
      output: { weight: read(this.outWeight), bias: read(this.outBias) },
      sigmoid: false,
    };
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}
