/** Learning rate and L2 weights for one Funk-SVD SGD step. */
export interface FunkSvdStepParams {
  learningRate: number;
  reg: number;
  biasReg: number;
}

/**
 * One SGD step on (r − r̂)² + λ(‖p_u‖² + ‖q_i‖²) + λ_b(b_u² + b_i²) for one observed rating,
 * with r̂ = μ + b_u + b_i + p_u·q_i (Funk 2006, as in Surprise's SVD). Every parameter moves by
 * lr·(e·∂r̂/∂θ − λθ) with e = r − r̂, all from the values before the step.
 * Returns e as it was before the update.
 */
export function funkSvdStep(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  userBias: Float32Array,
  itemBias: Float32Array,
  mean: number,
  factors: number,
  u: number,
  i: number,
  rating: number,
  p: FunkSvdStepParams,
): number {
  const pu = u * factors;
  const qi = i * factors;
  const bu = userBias[u];
  const bi = itemBias[i];
  let dot = 0;
  for (let f = 0; f < factors; f++) dot += userFactors[pu + f] * itemFactors[qi + f];
  const e = rating - (mean + bu + bi + dot);
  const lr = p.learningRate;
  userBias[u] = bu + lr * (e - p.biasReg * bu);
  itemBias[i] = bi + lr * (e - p.biasReg * bi);
  const reg = p.reg;
  for (let f = 0; f < factors; f++) {
    const wu = userFactors[pu + f];
    const hi = itemFactors[qi + f];
    userFactors[pu + f] = wu + lr * (e * hi - reg * wu);
    itemFactors[qi + f] = hi + lr * (e * wu - reg * hi);
  }
  return e;
}
