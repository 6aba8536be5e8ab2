import { ConfigError } from '@musicrec/core';
import { denseShape, writeDense, writeResidualMlpBlock } from './dense-layers';
import type { DenseLayer, ResidualMlpBlock } from './dense-layers';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { ONNX_EMBEDDING_OUTPUT, ONNX_FEATURES_INPUT } from './scorer-io';

/** One stage of an encoder: a plain dense layer or a residual block. */
export type EncoderStage = { dense: DenseLayer } | { residual: ResidualMlpBlock };

export interface ItemEncoderSpec {
  /** Size of one item's feature vector. */
  featureDim: number;
  stages: EncoderStage[];
  /** Divide each output row by its L2 norm (two-tower cosine scoring); default true. */
  l2Normalize?: boolean;
}

/**
 * Floor on the norm before dividing, so an all-zero embedding stays zero instead of NaN
 * (the same guard as tf.math.l2Normalize's epsilon on the squared norm, 1e-12).
 */
export const L2_NORM_FLOOR = 1e-6;

/**
 * ONNX graph of a content tower: `features` float32 [n, featureDim] → dense / residual
 * stages (BatchNormalization folded into the affine maps) → `embedding` float32 [n, d],
 * each row divided by max(‖row‖₂, 1e-6). Works for a user tower over user features too.
 *
 * ```ts
 * const bytes = exportItemEncoder({ featureDim: 12, stages: [{ dense: l1 }, { residual: block }, { dense: head }] });
 * ```
 */
export function exportItemEncoder(spec: ItemEncoderSpec, options: { opset?: number; producer?: string } = {}): Uint8Array {
  if (spec.stages.length === 0) throw new ConfigError('exportItemEncoder: the encoder needs at least one stage');
  const g = new OnnxGraphBuilder('item_encoder');
  g.input(ONNX_FEATURES_INPUT, ['n', spec.featureDim], 'float32');
  let x = ONNX_FEATURES_INPUT;
  let dim = spec.featureDim;
  spec.stages.forEach((stage, s) => {
    if ('dense' in stage) {
      const shape = denseShape(stage.dense, `encoder stage ${s}`);
      if (shape.inDim !== dim) throw new ConfigError(`exportItemEncoder stage ${s}: expects input size ${shape.inDim}, got ${dim}`);
      x = writeDense(g, x, stage.dense, `stage${s}`);
      dim = shape.outDim;
    } else {
      ({ output: x, dim } = writeResidualMlpBlock(g, x, dim, stage.residual, `stage${s}`));
    }
  });
  if (spec.l2Normalize ?? true) {
    g.initializer('norm_floor', Float32Array.of(L2_NORM_FLOOR), [1]);
    const norm = g.node('ReduceL2', [x], ['norm'], { axes: [-1], keepdims: 1 });
    const safe = g.node('Max', [norm, 'norm_floor'], ['norm_safe']);
    g.node('Div', [x, safe], [ONNX_EMBEDDING_OUTPUT]);
  } else {
    g.node('Identity', [x], [ONNX_EMBEDDING_OUTPUT]);
  }
  g.output(ONNX_EMBEDDING_OUTPUT, ['n', dim]);
  return g.toBytes({ opset: options.opset, producer: options.producer ?? 'musicrec item encoder' });
}
