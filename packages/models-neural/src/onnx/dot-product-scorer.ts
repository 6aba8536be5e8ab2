import { ConfigError } from '@musicrec/core';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { ONNX_SCORES_OUTPUT, ONNX_USER_INPUT } from './scorer-io';

export interface DotProductScorerWeights {
  /** nUsers × dim, row-major. For GMF, scale it by the output weight h (u ⊙ h). */
  userEmbedding: Float32Array;
  /** nItems × dim, row-major (stored transposed in the graph). */
  itemEmbedding: Float32Array;
  dim: number;
  /** nItems values added to every user's row. */
  itemBias?: Float32Array;
  /** nUsers values; constant per row, so it never changes a ranking, but keeps scores equal. */
  userBias?: Float32Array;
  globalBias?: number;
}

/**
 * ONNX graph for matrix-factorisation style scoring:
 * scores[b, i] = userEmb[user[b]] · itemEmb[i] + itemBias[i] + userBias[user[b]] + globalBias.
 * Input `user` int64 [batch], output `scores` float32 [batch, nItems]. The item matrix is
 * stored transposed (dim × nItems) so scoring is one Gather and one MatMul.
 *
 * ```ts
 * const bytes = exportDotProductScorer({ userEmbedding: model.userFactors, itemEmbedding: model.itemFactors, dim });
 * await writeFile('model.onnx', bytes);
 * ```
 */
export function exportDotProductScorer(w: DotProductScorerWeights, options: { opset?: number; producer?: string } = {}): Uint8Array {
  const { dim } = w;
  if (!(Number.isInteger(dim) && dim > 0)) throw new ConfigError(`exportDotProductScorer: dim must be a positive integer, got ${dim}`);
  if (w.userEmbedding.length % dim !== 0 || w.itemEmbedding.length % dim !== 0) {
    throw new ConfigError(
      `exportDotProductScorer: embedding lengths ${w.userEmbedding.length} (users) / ${w.itemEmbedding.length} (items) are not multiples of dim ${dim}`,
    );
  }
  const nUsers = w.userEmbedding.length / dim;
  const nItems = w.itemEmbedding.length / dim;
  if (w.itemBias && w.itemBias.length !== nItems) {
    throw new ConfigError(`exportDotProductScorer: itemBias has ${w.itemBias.length} values, expected nItems = ${nItems}`);
  }
  if (w.userBias && w.userBias.length !== nUsers) {
    throw new ConfigError(`exportDotProductScorer: userBias has ${w.userBias.length} values, expected nUsers = ${nUsers}`);
  }

  const g = new OnnxGraphBuilder('dot_product_scorer');
  g.input(ONNX_USER_INPUT, ['batch'], 'int64');
  g.initializer('user_embedding', w.userEmbedding, [nUsers, dim]);
  g.initializer('item_embedding_t', transpose(w.itemEmbedding, nItems, dim), [dim, nItems]);
  const u = g.node('Gather', ['user_embedding', ONNX_USER_INPUT], ['user_vector'], { axis: 0 });
  const terms: string[] = [g.node('MatMul', [u, 'item_embedding_t'], ['dot'])];
  if (w.itemBias) {
    g.initializer('item_bias', w.itemBias, [nItems]);
    terms.push('item_bias');
  }
  if (w.userBias) {
    g.initializer('user_bias', w.userBias, [nUsers, 1]);
    terms.push(g.node('Gather', ['user_bias', ONNX_USER_INPUT], ['user_bias_b'], { axis: 0 }));
  }
  if (w.globalBias !== undefined && w.globalBias !== 0) {
    g.initializer('global_bias', Float32Array.of(w.globalBias), [1]);
    terms.push('global_bias');
  }
  // sum the terms left to right; the last Add writes the graph output
  let acc = terms[0];
  for (let t = 1; t < terms.length; t++) {
    acc = g.node('Add', [acc, terms[t]], [t === terms.length - 1 ? ONNX_SCORES_OUTPUT : g.fresh('partial')]);
  }
  if (acc !== ONNX_SCORES_OUTPUT) g.node('Identity', [acc], [ONNX_SCORES_OUTPUT]);
  g.output(ONNX_SCORES_OUTPUT, ['batch', nItems]);
  return g.toBytes({ opset: options.opset, producer: options.producer ?? 'musicrec dot-product scorer' });
}

/** rows × cols row-major → cols × rows row-major. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) {
    const src = r * cols;
    for (let c = 0; c < cols; c++) t[c * rows + r] = a[src + c];
  }
  return t;
}
