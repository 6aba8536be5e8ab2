import { OnnxGraphBuilder, type OnnxAttributeValue } from '../onnx/onnx-graph-builder';
import { ONNX_SCORES_OUTPUT } from '../onnx/scorer-io';
import type { SasRecShape } from './network';

/** Input of the SASRec graph: int64 [batch, maxLen] left-padded windows, id = item + 1, 0 = padding. */
export const SASREC_ONNX_INPUT = 'history';

const MASKED = -1e9;
const LN_EPSILON = 1e-8;

/**
 * SASRec's inference graph (opset 17): the same computation as `SasRecNetwork.scoreLast` at
 * window length maxLen, written with Gather, MatMul, Softmax, LayerNormalization, Add, Mul.
 * Output `scores`: float32 [batch, nItems] from the last position's hidden state.
 */
export function sasRecOnnxGraph(shape: SasRecShape, weights: Record<string, Float32Array>): Uint8Array {
  const { nItems, factors: d, heads, blocks, maxLen: L } = shape;
  const dh = d / heads;
  const g = new OnnxGraphBuilder('sasrec');
  const w = (name: string, dims: number[]): string => {
    g.initializer(name, weights[name], dims);
    return name;
  };
  const constant = (prefix: string, data: Float32Array | BigInt64Array, dims: number[]): string => {
    const name = g.fresh(prefix);
    g.initializer(name, data, dims);
    return name;
  };
  const op = (type: string, inputs: string[], attrs: Record<string, OnnxAttributeValue> = {}): string =>
    g.node(type, inputs, [g.fresh(type.toLowerCase())], attrs);
  const int64 = (values: number[]): BigInt64Array => BigInt64Array.from(values.map(BigInt));
  const scalar = (v: number): Float32Array => Float32Array.of(v);

  g.input(SASREC_ONNX_INPUT, ['batch', L], 'int64');
  const itemEmbedding = w('itemEmbedding', [nItems + 1, d]);
  const positions = w('positionEmbedding', [L, d]);

  // mask [batch, L, 1]: 1 for real events
  const isReal = op('Greater', [SASREC_ONNX_INPUT, constant('zero_i64', int64([0]), [])]);
  const maskFlat = op('Cast', [isReal], { to: 1 }); // 1 = FLOAT
  const mask = op('Unsqueeze', [maskFlat, constant('axis_last', int64([2]), [1])]);

  let h = op('Gather', [itemEmbedding, SASREC_ONNX_INPUT]);
  h = op('Add', [op('Mul', [h, constant('sqrt_d', scalar(Math.sqrt(d)), [])]), positions]);
  h = op('Mul', [h, mask]);

  // attention bias [batch, 1, L, L] = (1 − causal · keyValid) · MASKED, as in the TF.js network
  const causal = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = 0; j <= i; j++) causal[i * L + j] = 1;
  const keyValid = op('Reshape', [maskFlat, constant('key_shape', int64([-1, 1, 1, L]), [4])]);
  const allowed = op('Mul', [constant('causal', causal, [1, 1, L, L]), keyValid]);
  const bias = op('Mul', [op('Sub', [constant('one', scalar(1), []), allowed]), constant('masked', scalar(MASKED), [])]);

  const headsShape = constant('heads_shape', int64([0, L, heads, dh]), [4]);
  const mergedShape = constant('merged_shape', int64([0, L, d]), [3]);
  const layerNorm = (x: string, gamma: string, beta: string): string =>
    op('LayerNormalization', [x, w(gamma, [d]), w(beta, [d])], { axis: -1, epsilon: { float: LN_EPSILON } });
  const dense = (x: string, kernel: string, biasName: string): string => op('Add', [op('MatMul', [x, w(kernel, [d, d])]), w(biasName, [d])]);

  for (let b = 0; b < blocks; b++) {
    const p = `block${b}.`;
    const a = layerNorm(h, `${p}ln1Gamma`, `${p}ln1Beta`);
    const q = op('Transpose', [op('Reshape', [dense(a, `${p}wq`, `${p}bq`), headsShape])], { perm: [0, 2, 1, 3] });
    const kT = op('Transpose', [op('Reshape', [dense(a, `${p}wk`, `${p}bk`), headsShape])], { perm: [0, 2, 3, 1] });
    const v = op('Transpose', [op('Reshape', [dense(a, `${p}wv`, `${p}bv`), headsShape])], { perm: [0, 2, 1, 3] });
    const logits = op('Add', [op('Mul', [op('MatMul', [q, kT]), constant('inv_sqrt_dh', scalar(1 / Math.sqrt(dh)), [])]), bias]);
    const attention = op('Softmax', [logits], { axis: -1 });
    const context = op('Reshape', [op('Transpose', [op('MatMul', [attention, v])], { perm: [0, 2, 1, 3] }), mergedShape]);
    h = op('Add', [h, context]);
    const f = layerNorm(h, `${p}ln2Gamma`, `${p}ln2Beta`);
    const ffn = dense(op('Relu', [dense(f, `${p}w1`, `${p}b1`)]), `${p}w2`, `${p}b2`);
    h = op('Mul', [op('Add', [h, ffn]), mask]);
  }
  h = op('Mul', [layerNorm(h, 'lnFinalGamma', 'lnFinalBeta'), mask]);
  const last = op('Gather', [h, constant('last_position', int64([L - 1]), [])], { axis: 1 });

  // item embeddings without the padding row, transposed once here: scores = last · Eᵀ
  const items = weights.itemEmbedding;
  const itemsT = new Float32Array(d * nItems);
  for (let i = 0; i < nItems; i++) for (let c = 0; c < d; c++) itemsT[c * nItems + i] = items[(i + 1) * d + c];
  g.node('MatMul', [last, constant('items_t', itemsT, [d, nItems])], [ONNX_SCORES_OUTPUT]);
  g.output(ONNX_SCORES_OUTPUT, ['batch', nItems]);
  return g.toBytes({ producer: 'musicrec sasrec' });
}
