import { ConfigError } from '@musicrec/core';
import type { OnnxGraphBuilder } from './onnx-graph-builder';

/** Inference-time batch normalisation statistics and affine parameters, one value per feature. */
export interface BatchNormParams {
  gamma: Float32Array;
  beta: Float32Array;
  movingMean: Float32Array;
  movingVariance: Float32Array;
  /** Keras/TF.js default 1e-3. */
  epsilon: number;
}

/**
 * One dense layer as trained: y = act(BN(x·W + b)). `weight` is in×out row-major (TF.js
 * kernel layout), `bias` has `out` values. Dropout is the identity at inference, so it has
 * no place here.
 */
export interface DenseLayer {
  weight: Float32Array;
  bias: Float32Array;
  /** Batch normalisation applied to x·W + b before the activation; folded at export time. */
  batchNorm?: BatchNormParams;
  /** Default 'relu' (hidden layers); 'linear' for output and projection layers. */
  activation?: 'relu' | 'linear';
}

/** in/out sizes of a layer, checked against its arrays. */
export function denseShape(layer: Pick<DenseLayer, 'weight' | 'bias'>, what: string): { inDim: number; outDim: number } {
  const outDim = layer.bias.length;
  if (outDim === 0 || layer.weight.length % outDim !== 0) {
    throw new ConfigError(`${what}: weight has ${layer.weight.length} values, not a multiple of bias length ${outDim}`);
  }
  return { inDim: layer.weight.length / outDim, outDim };
}

/**
 * Folds inference-time batch normalisation into the preceding affine map:
 * BN(x·W + b) = x·(W·s) + ((b − mean)·s + beta) with s = gamma / sqrt(var + eps) per output
 * column. The exported graph then has one MatMul + Add per layer and no BatchNormalization
 * node, and computes the same numbers (to float32 rounding) as the trained model in eval mode.
 */
export function foldBatchNorm(layer: DenseLayer, what = 'dense layer'): DenseLayer {
  const bn = layer.batchNorm;
  if (!bn) return layer;
  const { inDim, outDim } = denseShape(layer, what);
  for (const [name, a] of Object.entries({ gamma: bn.gamma, beta: bn.beta, movingMean: bn.movingMean, movingVariance: bn.movingVariance })) {
    if (a.length !== outDim) throw new ConfigError(`${what}: batchNorm.${name} has ${a.length} values, expected ${outDim}`);
  }
  const scale = new Float64Array(outDim);
  const bias = new Float32Array(outDim);
  for (let j = 0; j < outDim; j++) {
    scale[j] = bn.gamma[j] / Math.sqrt(bn.movingVariance[j] + bn.epsilon);
    bias[j] = (layer.bias[j] - bn.movingMean[j]) * scale[j] + bn.beta[j];
  }
  const weight = new Float32Array(layer.weight.length);
  for (let i = 0; i < inDim; i++) {
    const row = i * outDim;
    for (let j = 0; j < outDim; j++) weight[row + j] = layer.weight[row + j] * scale[j];
  }
  return { weight, bias, activation: layer.activation };
}

/**
 * Writes act(x·W + b) with BN folded. MatMul + Add rather than Gemm so the same layer works
 * on [n, d] and on the [batch, items, d] tensors of the per-(user, item) scorers.
 * Returns the output value name.
 */
export function writeDense(g: OnnxGraphBuilder, x: string, layer: DenseLayer, prefix: string): string {
  const folded = foldBatchNorm(layer, prefix);
  const { inDim, outDim } = denseShape(folded, prefix);
  const w = g.fresh(`${prefix}_w`);
  const b = g.fresh(`${prefix}_b`);
  g.initializer(w, folded.weight, [inDim, outDim]);
  g.initializer(b, folded.bias, [outDim]);
  const xw = g.node('MatMul', [x, w], [g.fresh(`${prefix}_xw`)]);
  const y = g.node('Add', [xw, b], [g.fresh(`${prefix}_y`)]);
  return (folded.activation ?? 'relu') === 'relu' ? g.node('Relu', [y], [g.fresh(`${prefix}_relu`)]) : y;
}

/**
 * A residual MLP block (HybridDeep): out = post(x + shortcut(F(x))) where F is `layers`
 * (each Dense → folded BN → activation) and the shortcut is x itself when the sizes match,
 * or a linear projection x·P + p when `projection` is given.
 */
export interface ResidualMlpBlock {
  layers: DenseLayer[];
  /** Needed when the block's output size differs from its input size. */
  projection?: { weight: Float32Array; bias: Float32Array };
  /** Activation after the sum (ResNet style); default 'linear' (pre-activation style). */
  postActivation?: 'relu' | 'linear';
}

/** Writes a residual block; `inDim` is x's last dimension. Returns the output value name and size. */
export function writeResidualMlpBlock(
  g: OnnxGraphBuilder,
  x: string,
  inDim: number,
  block: ResidualMlpBlock,
  prefix = 'res',
): { output: string; dim: number } {
  if (block.layers.length === 0) throw new ConfigError(`${prefix}: a residual block needs at least one layer`);
  let h = x;
  let dim = inDim;
  block.layers.forEach((layer, l) => {
    const shape = denseShape(layer, `${prefix} layer ${l}`);
    if (shape.inDim !== dim) throw new ConfigError(`${prefix} layer ${l}: expects input size ${shape.inDim}, got ${dim}`);
    h = writeDense(g, h, layer, `${prefix}_l${l}`);
    dim = shape.outDim;
  });
  let shortcut = x;
  if (block.projection) {
    const shape = denseShape(block.projection, `${prefix} projection`);
    if (shape.inDim !== inDim || shape.outDim !== dim) {
      throw new ConfigError(`${prefix} projection: maps ${shape.inDim} → ${shape.outDim}, block maps ${inDim} → ${dim}`);
    }
    shortcut = writeDense(g, x, { ...block.projection, activation: 'linear' }, `${prefix}_proj`);
  } else if (dim !== inDim) {
    throw new ConfigError(`${prefix}: output size ${dim} differs from input size ${inDim}; give a projection`);
  }
  const sum = g.node('Add', [h, shortcut], [g.fresh(`${prefix}_sum`)]);
  const output = block.postActivation === 'relu' ? g.node('Relu', [sum], [g.fresh(`${prefix}_out`)]) : sum;
  return { output, dim };
}
