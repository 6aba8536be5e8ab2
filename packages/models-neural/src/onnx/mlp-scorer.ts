import { ConfigError } from '@musicrec/core';
import { denseShape, foldBatchNorm, writeDense } from './dense-layers';
import type { DenseLayer } from './dense-layers';
import { transpose } from './dot-product-scorer';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { ONNX_SCORES_OUTPUT, ONNX_USER_INPUT } from './scorer-io';

/**
 * Weights of an NCF-family model (GMF, NCF-MLP, NeuMF), all row-major float32:
 * - `gmf`: user and item embeddings (nUsers × dG, nItems × dG), combined by u ⊙ i;
 * - `mlp`: user and item embeddings (nUsers × dU, nItems × dI), concatenated as [u, i]
 *   (user first) and fed through `layers` (in×out kernels, ReLU unless said otherwise);
 * - `output`: the final linear layer over [gmf vector, mlp vector] (GMF rows first),
 *   weight (dG + dLast) × 1, bias 1 value. Logits are kept unless `sigmoid` is set: the
 *   ranking is the same either way.
 */
export interface MlpScorerWeights {
  nUsers: number;
  nItems: number;
  gmf?: { userEmb: Float32Array; itemEmb: Float32Array };
  mlp?: { userEmb: Float32Array; itemEmb: Float32Array; layers: DenseLayer[] };
  output: { weight: Float32Array; bias: Float32Array };
  sigmoid?: boolean;
}

/**
 * ONNX graph scoring every item for each user with an NCF-family network. Input `user`
 * int64 [batch], output `scores` float32 [batch, nItems].
 *
 * Exact rewrites keep the graph small and fast (same numbers to float32 rounding):
 * - GMF: (u ⊙ i)·h = (u ⊙ h)·i, so the GMF branch is one MatMul against the transposed item
 *   matrix, never a [batch, nItems, dG] tensor;
 * - MLP: the first layer over [u, i] splits as u·W_u + i·W_i + b; i·W_i + b is computed for
 *   every item at export time, so the user part is broadcast-added ([batch, 1, h] + [nItems, h])
 *   instead of Expand + Concat of the embeddings; later layers run on [batch, nItems, h].
 *
 * Memory per run is batch × nItems × (widest hidden layer) floats: 1.1 GB for 256 users ×
 * 17,632 items × 64, so score in small batches (e.g. OnnxRecommender's `batchSize: 8`).
 *
 * ```ts
 * const bytes = exportMlpScorer({ nUsers, nItems, gmf: { userEmb, itemEmb }, mlp: { userEmb, itemEmb, layers }, output });
 * ```
 */
export function exportMlpScorer(w: MlpScorerWeights, options: { opset?: number; producer?: string } = {}): Uint8Array {
  const { nUsers, nItems } = w;
  for (const [name, n] of [['nUsers', nUsers], ['nItems', nItems]] as const) {
    if (!(Number.isInteger(n) && n > 0)) throw new ConfigError(`exportMlpScorer: ${name} must be a positive integer, got ${n}`);
  }
  if (!w.gmf && !w.mlp) throw new ConfigError('exportMlpScorer: give a gmf branch, an mlp branch, or both');
  const g = new OnnxGraphBuilder('ncf_scorer');
  g.input(ONNX_USER_INPUT, ['batch'], 'int64');
  const outDim = w.output.bias.length;
  if (outDim !== 1) throw new ConfigError(`exportMlpScorer: output layer must have 1 unit, bias has ${outDim} values`);

  const dG = w.gmf ? embeddingDim(w.gmf.userEmb, w.gmf.itemEmb, nUsers, nItems, 'gmf') : 0;
  let dLast = 0;
  if (w.mlp) {
    const { layers } = w.mlp;
    dLast = layers.length > 0 ? denseShape(layers[layers.length - 1], 'mlp last layer').outDim : 0;
    if (layers.length === 0) {
      const dU = w.mlp.userEmb.length / nUsers;
      dLast = dU + w.mlp.itemEmb.length / nItems;
    }
  }
  if (w.output.weight.length !== dG + dLast) {
    throw new ConfigError(
      `exportMlpScorer: output weight has ${w.output.weight.length} values, expected gmf ${dG} + mlp ${dLast} = ${dG + dLast}`,
    );
  }

  const terms: string[] = [];
  if (w.gmf) {
    g.initializer('gmf_user_embedding', w.gmf.userEmb, [nUsers, dG]);
    g.initializer('gmf_item_embedding_t', transpose(w.gmf.itemEmb, nItems, dG), [dG, nItems]);
    g.initializer('gmf_output_weight', w.output.weight.slice(0, dG), [dG]);
    const u = g.node('Gather', ['gmf_user_embedding', ONNX_USER_INPUT], ['gmf_user'], { axis: 0 });
    const uh = g.node('Mul', [u, 'gmf_output_weight'], ['gmf_user_scaled']);
    terms.push(g.node('MatMul', [uh, 'gmf_item_embedding_t'], ['gmf_score']));
  }
  if (w.mlp) terms.push(writeMlpBranch(g, w.mlp, nUsers, nItems, w.output.weight.subarray(dG)));

  g.initializer('output_bias', w.output.bias, [1]);
  let logits = terms.length === 2 ? g.node('Add', terms, ['branch_sum']) : terms[0];
  logits = g.node('Add', [logits, 'output_bias'], [w.sigmoid ? 'logits' : ONNX_SCORES_OUTPUT]);
  if (w.sigmoid) g.node('Sigmoid', [logits], [ONNX_SCORES_OUTPUT]);
  g.output(ONNX_SCORES_OUTPUT, ['batch', nItems]);
  return g.toBytes({ opset: options.opset, producer: options.producer ?? 'musicrec ncf scorer' });
}

/** The MLP tower's contribution to the logit, [batch, nItems] (output bias excluded). */
function writeMlpBranch(
  g: OnnxGraphBuilder,
  mlp: NonNullable<MlpScorerWeights['mlp']>,
  nUsers: number,
  nItems: number,
  outputWeight: Float32Array,
): string {
  if (mlp.userEmb.length % nUsers !== 0 || mlp.itemEmb.length % nItems !== 0) {
    throw new ConfigError(
      `exportMlpScorer mlp: embedding lengths ${mlp.userEmb.length} / ${mlp.itemEmb.length} do not divide by nUsers ${nUsers} / nItems ${nItems}`,
    );
  }
  const dU = mlp.userEmb.length / nUsers;
  const dI = mlp.itemEmb.length / nItems;
  // without hidden layers the output layer itself is the affine map over [u, i]
  const hidden = mlp.layers.length > 0;
  const first: DenseLayer = hidden
    ? foldBatchNorm(mlp.layers[0], 'mlp layer 0')
    : { weight: outputWeight, bias: new Float32Array(1), activation: 'linear' };
  const { inDim, outDim } = denseShape(first, 'mlp layer 0');
  if (inDim !== dU + dI) throw new ConfigError(`exportMlpScorer mlp layer 0: expects input size ${inDim}, [user, item] has ${dU} + ${dI}`);

  g.initializer('mlp_user_embedding', mlp.userEmb, [nUsers, dU]);
  g.initializer('mlp_first_user_weight', first.weight.slice(0, dU * outDim), [dU, outDim]);
  g.initializer('mlp_first_item_part', itemPart(mlp.itemEmb, nItems, dI, first, dU), [nItems, outDim]);
  g.initializer('axis_1', BigInt64Array.of(1n), [1]);
  const u = g.node('Gather', ['mlp_user_embedding', ONNX_USER_INPUT], ['mlp_user'], { axis: 0 });
  const uw = g.node('MatMul', [u, 'mlp_first_user_weight'], ['mlp_first_user_part']);
  const uw3 = g.node('Unsqueeze', [uw, 'axis_1'], ['mlp_first_user_part_3d']); // [batch, 1, h]
  let h = g.node('Add', [uw3, 'mlp_first_item_part'], ['mlp_first_pre']); // [batch, nItems, h]
  if (!hidden) return squeezeLast(g, h);
  if ((first.activation ?? 'relu') === 'relu') h = g.node('Relu', [h], ['mlp_first_out']);

  let dim = outDim;
  for (let l = 1; l < mlp.layers.length; l++) {
    const shape = denseShape(mlp.layers[l], `mlp layer ${l}`);
    if (shape.inDim !== dim) throw new ConfigError(`exportMlpScorer mlp layer ${l}: expects input size ${shape.inDim}, got ${dim}`);
    h = writeDense(g, h, mlp.layers[l], `mlp_l${l}`);
    dim = shape.outDim;
  }
  g.initializer('mlp_output_weight', outputWeight.slice(), [dim, 1]);
  return squeezeLast(g, g.node('MatMul', [h, 'mlp_output_weight'], ['mlp_logit_3d']));
}

/** [batch, nItems, 1] → [batch, nItems]. */
function squeezeLast(g: OnnxGraphBuilder, x: string): string {
  g.initializer('axis_2', BigInt64Array.of(2n), [1]);
  return g.node('Squeeze', [x, 'axis_2'], ['mlp_score']);
}

/** i·W_i + b for every item (float64 accumulation), nItems × out. */
function itemPart(itemEmb: Float32Array, nItems: number, dI: number, first: DenseLayer, dU: number): Float32Array {
  const out = first.bias.length;
  const result = new Float32Array(nItems * out);
  const acc = new Float64Array(out);
  for (let i = 0; i < nItems; i++) {
    for (let j = 0; j < out; j++) acc[j] = first.bias[j];
    for (let c = 0; c < dI; c++) {
      const x = itemEmb[i * dI + c];
      if (x === 0) continue;
      const row = (dU + c) * out;
      for (let j = 0; j < out; j++) acc[j] += x * first.weight[row + j];
    }
    for (let j = 0; j < out; j++) result[i * out + j] = acc[j];
  }
  return result;
}

function embeddingDim(userEmb: Float32Array, itemEmb: Float32Array, nUsers: number, nItems: number, what: string): number {
  const d = userEmb.length / nUsers;
  if (!Number.isInteger(d) || d <= 0 || itemEmb.length !== nItems * d) {
    throw new ConfigError(
      `exportMlpScorer ${what}: user embedding ${userEmb.length} values for ${nUsers} users and item embedding ${itemEmb.length} for ${nItems} items do not share one dimension`,
    );
  }
  return d;
}
