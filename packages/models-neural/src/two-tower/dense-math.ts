/** One dense layer as plain arrays: weight in × out row-major (TF.js kernel layout), bias out. */
export interface DenseWeights {
  weight: Float32Array;
  bias: Float32Array;
}

/**
 * x (n × in) through the layers, ReLU between layers and none after the last, in JS
 * (float64 accumulation). Used for cold items after load, without TF.js.
 */
export function denseMlpForward(layers: DenseWeights[], x: Float32Array, n: number): Float32Array {
  let h = x;
  layers.forEach((layer, l) => {
    const outDim = layer.bias.length;
    const inDim = layer.weight.length / outDim;
    if (h.length !== n * inDim) throw new RangeError(`dense layer ${l}: input has ${h.length} values, expected ${n} × ${inDim}`);
    const y = new Float32Array(n * outDim);
    const acc = new Float64Array(outDim);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < outDim; j++) acc[j] = layer.bias[j];
      for (let i = 0; i < inDim; i++) {
        const xi = h[r * inDim + i];
        if (xi === 0) continue;
        const row = i * outDim;
        for (let j = 0; j < outDim; j++) acc[j] += xi * layer.weight[row + j];
      }
      const relu = l + 1 < layers.length;
      for (let j = 0; j < outDim; j++) y[r * outDim + j] = relu && acc[j] < 0 ? 0 : acc[j];
    }
    h = y;
  });
  return h;
}

/** Scales each row of a row-major matrix to unit L2 norm in place (zero rows stay zero). */
export function l2NormalizeRows(a: Float32Array, dim: number): void {
  for (let r = 0; r * dim < a.length; r++) {
    let s = 0;
    for (let f = 0; f < dim; f++) s += a[r * dim + f] ** 2;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let f = 0; f < dim; f++) a[r * dim + f] *= inv;
  }
}

/**
 * scores[b, i] = userFactors[users[b]] · itemFactors[i] for every item, row-major into `out`.
 * Throws RangeError for a user index outside [0, nUsers).
 */
export function factorScores(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  dim: number,
  users: Int32Array,
  out: Float32Array,
  who: string,
): Float32Array {
  const nUsers = userFactors.length / dim;
  const nItems = itemFactors.length / dim;
  if (out.length !== users.length * nItems) throw new RangeError(`${who}: out has length ${out.length}, expected ${users.length} × ${nItems}`);
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    if (!(Number.isInteger(u) && u >= 0 && u < nUsers)) throw new RangeError(`${who}: user index ${u} out of range [0, ${nUsers})`);
  }
  for (let b = 0; b < users.length; b++) {
    const uo = users[b] * dim;
    const row = b * nItems;
    for (let i = 0; i < nItems; i++) {
      const io = i * dim;
      let s = 0;
      for (let f = 0; f < dim; f++) s += userFactors[uo + f] * itemFactors[io + f];
      out[row + i] = s;
    }
  }
  return out;
}

/**
 * The weighted mean of the liked items' rows (first `width` of `dim` columns; weights default 1
 * each): the embedding of a user known only by a basket of items. Checks indices and weights.
 */
export function basketMean(
  itemFactors: Float32Array,
  dim: number,
  items: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  name: string,
  width = dim,
): Float32Array {
  const nItems = itemFactors.length / dim;
  if (weights && weights.length !== items.length) throw new RangeError(`${name}: ${weights.length} weights for ${items.length} liked items`);
  const user = new Float32Array(dim);
  let total = 0;
  for (let k = 0; k < items.length; k++) {
    const i = items[k];
    if (!(Number.isInteger(i) && i >= 0 && i < nItems)) throw new RangeError(`${name}: item index ${i} out of range [0, ${nItems})`);
    const w = weights ? weights[k] : 1;
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`${name}: weight ${w} of liked item ${i} is not a finite number >= 0`);
    total += w;
    for (let f = 0; f < width; f++) user[f] += w * itemFactors[i * dim + f];
  }
  if (total > 0) for (let f = 0; f < width; f++) user[f] /= total;
  return user;
}

/** `out` when given (checked to hold one score per item), else a new row. */
export function scoreRow(out: Float32Array | undefined, nItems: number, name: string): Float32Array {
  if (out && out.length !== nItems) throw new RangeError(`${name}: out has length ${out.length}, expected ${nItems}`);
  return out ?? new Float32Array(nItems);
}
