// onnx-proto is CommonJS: Node's ESM loader cannot see its named export, so take the module object
import onnxProto from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';
import { DataError } from '@musicrec/core';

const { onnx } = onnxProto;

/** Input added by `appendTopK`: how many items to return per row, int64 [1]. */
export const ONNX_K_INPUT = 'k';
/** Outputs added by `appendTopK`: the best scores (float32) and their item indices (int64), [batch, k], best first. */
export const ONNX_TOP_SCORES_OUTPUT = 'top_scores';
export const ONNX_TOP_ITEMS_OUTPUT = 'top_items';

/** TopK takes k as an input from opset 10 and breaks ties by the lower index from opset 11. */
const MIN_OPSET = 11;

/**
 * A scorer graph (one float32 output [batch, nItems]) turned into a top-k graph: one TopK
 * node (axis −1, largest, sorted) after the scores, a new int64 input `k` [1], and the
 * outputs `top_scores` [batch, k] and `top_items` [batch, k] in place of the scores.
 *
 * Why: onnxruntime-node copies every output into a new JavaScript buffer and reports it to
 * V8 as external memory, so a 17,632-item score row per request (70 KB) triggers a scavenge
 * about every hundred requests (measured: 34 "external memory pressure" scavenges in 5,000
 * one-user runs, 0.4–0.6 ms each, which is where the p99 sits). With the selection inside
 * the graph a request copies out k values instead of the catalogue.
 *
 * Ties: the lower item index first (ONNX TopK from opset 11), as `@musicrec/core`'s topK.
 * Returns the new graph and the scorer's item count when its output declares a fixed one.
 */
export function appendTopK(scorerGraph: Uint8Array, where = 'ONNX model'): { graph: Uint8Array; nItems: number | undefined } {
  let model: proto.ModelProto;
  try {
    model = onnx.ModelProto.decode(scorerGraph);
  } catch (e) {
    throw new DataError(`not an ONNX model: ${(e as Error).message}`, { file: where });
  }
  const graph = model.graph;
  if (!graph) throw new DataError('the model has no graph', { file: where });
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) {
    throw new DataError(`a scorer graph has one output (scores [batch, nItems]); this one has ${outputs.length}: [${outputs.map((o) => o.name).join(', ')}]`, {
      file: where,
      field: 'graph.output',
    });
  }
  const scores = outputs[0];
  const tensorType = scores.type?.tensorType;
  const rank = tensorType?.shape?.dim?.length;
  if (tensorType?.elemType !== onnx.TensorProto.DataType.FLOAT || rank !== 2) {
    throw new DataError(`the output "${scores.name}" must be float32 of rank 2 [batch, nItems]; it is element type ${tensorType?.elemType} of rank ${rank ?? 'unknown'}`, {
      file: where,
      field: 'graph.output',
    });
  }
  const opset = (model.opsetImport ?? []).find((o) => !o.domain)?.version;
  const opsetVersion = opset === undefined || opset === null ? NaN : Number(opset);
  if (!(opsetVersion >= MIN_OPSET)) {
    throw new DataError(`TopK with a k input and index tie-breaking needs opset >= ${MIN_OPSET}; the model imports opset ${opset ?? 'none'}`, {
      file: where,
      field: 'opsetImport',
    });
  }
  const used = new Set<string>([
    ...(graph.input ?? []).map((v) => v.name ?? ''),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.node ?? []).flatMap((n) => n.output ?? []),
  ]);
  for (const name of [ONNX_K_INPUT, ONNX_TOP_SCORES_OUTPUT, ONNX_TOP_ITEMS_OUTPUT]) {
    if (used.has(name)) throw new DataError(`the scorer graph already defines "${name}", the name appendTopK adds`, { file: where });
  }
  const [batchDim, itemDim] = tensorType.shape!.dim!;
  const nItems = itemDim.dimValue === undefined || itemDim.dimValue === null ? undefined : Number(itemDim.dimValue);
  const topDims = [batchDim, { dimParam: ONNX_K_INPUT }];
  graph.input = [...(graph.input ?? []), tensorInfo(ONNX_K_INPUT, [{ dimValue: 1 }], onnx.TensorProto.DataType.INT64)];
  graph.node = [
    ...(graph.node ?? []),
    {
      opType: 'TopK',
      name: 'top_k',
      input: [scores.name!, ONNX_K_INPUT],
      output: [ONNX_TOP_SCORES_OUTPUT, ONNX_TOP_ITEMS_OUTPUT],
      attribute: [
        { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 },
        { name: 'largest', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
        { name: 'sorted', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
      ],
    },
  ];
  graph.output = [
    tensorInfo(ONNX_TOP_SCORES_OUTPUT, topDims, onnx.TensorProto.DataType.FLOAT),
    tensorInfo(ONNX_TOP_ITEMS_OUTPUT, topDims, onnx.TensorProto.DataType.INT64),
  ];
  return { graph: onnx.ModelProto.encode(model).finish(), nItems };
}

function tensorInfo(name: string, dim: proto.TensorShapeProto.IDimension[], elemType: number): proto.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}
