/** Learning rate and per-group L2 weights for one BPR SGD step. */
export interface BprStepParams {
  learningRate: number;
  userReg: number;
  posItemReg: number;
  negItemReg: number;
  biasReg: number;
}

/**
 * One stochastic gradient ascent step of BPR-Opt on the triple (u, i, j):
 * maximise ln σ(x_uij) − λ‖Θ‖² with x_uij = b_i − b_j + p_u·(q_i − q_j).
 * With z = σ(−x_uij) = ∂ ln σ(x)/∂x, every parameter moves by lr·(z·∂x/∂θ − λ_θ·θ), all from
 * the values before the step. Factors are row-major with `factors` columns.
 * Returns x_uij as it was before the update (> 0 means the pair was already ordered right).
 */
export function bprStep(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  itemBias: Float32Array,
  factors: number,
  u: number,
  i: number,
  j: number,
  p: BprStepParams,
): number {
  const pu = u * factors;
  const qi = i * factors;
  const qj = j * factors;
  const bi = itemBias[i];
  const bj = itemBias[j];
  let x = bi - bj;
  for (let f = 0; f < factors; f++) x += userFactors[pu + f] * (itemFactors[qi + f] - itemFactors[qj + f]);
  const z = 1 / (1 + Math.exp(x));
  const lr = p.learningRate;
  itemBias[i] = bi + lr * (z - p.biasReg * bi);
  itemBias[j] = bj + lr * (-z - p.biasReg * bj);
  const ur = p.userReg;
  const ir = p.posItemReg;
  const jr = p.negItemReg;
  for (let f = 0; f < factors; f++) {
    const wu = userFactors[pu + f];
    const hi = itemFactors[qi + f];
    const hj = itemFactors[qj + f];
    userFactors[pu + f] = wu + lr * (z * (hi - hj) - ur * wu);
    itemFactors[qi + f] = hi + lr * (z * wu - ir * hi);
    itemFactors[qj + f] = hj + lr * (-z * wu - jr * hj);
  }
  return x;
}
