import * as tf from '@tensorflow/tfjs-core';

/**
 * TF.js inference for a factorised model (score = user row · item row): the factor tables live
 * as tensors on the active backend (wasm by default) and one request is a gather + one matMul
 * against the item table, the same work the exported ONNX graph does. Created lazily by the
 * models, released by `dispose`.
 */
export class TfFactorScorer {
  private readonly userTable: tf.Tensor2D;
  /** dim × nItems: stored transposed, so a request is a plain product (a transposed operand costs a copy of the table per call). */
  private readonly itemTableT: tf.Tensor2D;
  readonly nUsers: number;
  readonly nItems: number;

  constructor(userFactors: Float32Array, itemFactors: Float32Array, readonly dim: number) {
    if (!(Number.isInteger(dim) && dim > 0) || userFactors.length % dim !== 0 || itemFactors.length % dim !== 0) {
      throw new RangeError(`TfFactorScorer: factor lengths ${userFactors.length} / ${itemFactors.length} are not multiples of dim ${dim}`);
    }
    this.nUsers = userFactors.length / dim;
    this.nItems = itemFactors.length / dim;
    this.userTable = tf.tensor2d(userFactors, [this.nUsers, dim]);
    const transposed = new Float32Array(itemFactors.length);
    for (let i = 0; i < this.nItems; i++) for (let f = 0; f < dim; f++) transposed[f * this.nItems + i] = itemFactors[i * dim + f];
    this.itemTableT = tf.tensor2d(transposed, [dim, this.nItems]);
  }

  /** Row-major users.length × nItems scores into `out`. */
  score(users: Int32Array, out: Float32Array, who = 'TfFactorScorer'): Float32Array {
    if (out.length !== users.length * this.nItems) throw new RangeError(`${who}: out has ${out.length} values, expected ${users.length} × ${this.nItems}`);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      // a gather outside the table returns zeros on some backends instead of failing
      if (!(Number.isInteger(u) && u >= 0 && u < this.nUsers)) throw new RangeError(`${who}: user index ${u} out of range [0, ${this.nUsers})`);
    }
    if (users.length === 0) return out;
    const scores = tf.tidy(() => tf.matMul(tf.gather(this.userTable, tf.tensor1d(users, 'int32')), this.itemTableT));
    try {
      out.set(scores.dataSync() as Float32Array);
    } finally {
      scores.dispose();
    }
    return out;
  }

  dispose(): void {
    this.userTable.dispose();
    this.itemTableT.dispose();
  }
}

/**
 * The TfFactorScorer of a model whose factor arrays get replaced (every validation epoch, on
 * load): rebuilt when the arrays it was built from are no longer the model's.
 */
export class TfFactorScoring {
  private current: { scorer: TfFactorScorer; user: Float32Array; item: Float32Array } | null = null;

  score(userFactors: Float32Array, itemFactors: Float32Array, dim: number, users: Int32Array, out: Float32Array, who: string): Float32Array {
    if (!this.current || this.current.user !== userFactors || this.current.item !== itemFactors) {
      this.dispose();
      this.current = { scorer: new TfFactorScorer(userFactors, itemFactors, dim), user: userFactors, item: itemFactors };
    }
    return this.current.scorer.score(users, out, who);
  }

  dispose(): void {
    this.current?.scorer.dispose();
    this.current = null;
  }
}
