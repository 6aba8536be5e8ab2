// onnx-proto is CommonJS: Node's ESM loader cannot see its named export, so take the module object
import onnxProto from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';
import { ConfigError } from '@musicrec/core';

const { onnx } = onnxProto;

/** Element types the builder can declare for graph inputs/outputs. */
export type OnnxElementType = 'float32' | 'int32' | 'int64';

/** A dimension: a fixed size, or a name for a symbolic one (e.g. "batch"). */
export type OnnxDim = number | string;

/** Initializer payloads; stored as little-endian raw bytes. */
export type OnnxInitializerData = Float32Array | Int32Array | BigInt64Array;

/** Attribute values of a node; numbers that are integers become INT, others FLOAT. */
export type OnnxAttributeValue = number | string | number[] | { floats: number[] } | { float: number };

/**
 * ONNX IR version written by `toBytes`. IR 8 is the newest the bundled onnx.proto
 * (onnx-proto 8, ONNX 1.10) describes; onnxruntime 1.30 reads IR 3 up to 10.
 */
export const ONNX_IR_VERSION = 8;

/**
 * Default opset: 17 (ONNX 1.12). onnxruntime 1.30 implements up to opset 22, and every op
 * used here (Gather, MatMul, Gemm, Add, Mul, Relu, Sigmoid, Expand, Concat, Unsqueeze,
 * ReduceL2, Div, Max, Clip) has the same semantics from 13 to 17.
 */
export const ONNX_DEFAULT_OPSET = 17;

const ELEMENT_TYPES: Record<OnnxElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

function elementTypeOf(data: OnnxInitializerData): number {
  if (data instanceof Float32Array) return onnx.TensorProto.DataType.FLOAT;
  if (data instanceof Int32Array) return onnx.TensorProto.DataType.INT32;
  return onnx.TensorProto.DataType.INT64;
}

/**
 * Builds an ONNX model from plain typed arrays, without TF.js or Python.
 *
 * ```ts
 * const g = new OnnxGraphBuilder('dot');
 * g.input('user', ['batch'], 'int64');
 * g.initializer('user_emb', userEmbedding, [nUsers, dim]);
 * g.initializer('item_emb_t', itemEmbeddingT, [dim, nItems]);
 * g.node('Gather', ['user_emb', 'user'], ['u']);
 * g.node('MatMul', ['u', 'item_emb_t'], ['scores']);
 * g.output('scores', ['batch', nItems]);
 * const bytes = g.toBytes({ producer: 'musicrec' }); // InferenceSession.create(bytes)
 * ```
 *
 * Names must be unique per graph: `fresh(prefix)` hands out unused ones for helpers
 * that add several nodes.
 */
export class OnnxGraphBuilder {
  private readonly inputs: proto.IValueInfoProto[] = [];
  private readonly outputs: proto.IValueInfoProto[] = [];
  private readonly initializers: proto.ITensorProto[] = [];
  private readonly nodes: proto.INodeProto[] = [];
  /** Values defined so far (inputs, initializers, node outputs). */
  private readonly names = new Set<string>();
  /** Names handed out by `fresh` and not defined yet. */
  private readonly reserved = new Set<string>();
  private counter = 0;

  constructor(readonly graphName = 'musicrec') {}

  /** A value name not used yet, e.g. fresh('relu') → "relu_3". */
  fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name) || this.reserved.has(name));
    this.reserved.add(name);
    return name;
  }

  /** Declares a graph input. */
  input(name: string, dims: readonly OnnxDim[], type: OnnxElementType = 'float32'): this {
    this.claim(name);
    this.inputs.push(valueInfo(name, dims, type));
    return this;
  }

  /** A constant tensor (weights). `dims` must multiply to `data.length`. */
  initializer(name: string, data: OnnxInitializerData, dims: readonly number[]): this {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new ConfigError(`ONNX initializer "${name}": dims [${dims.join(', ')}] hold ${size} values, data has ${data.length}`);
    }
    this.claim(name);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: elementTypeOf(data),
      // raw little-endian bytes: one copy, no per-element boxing (x86/ARM hosts are little-endian)
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return this;
  }

  /** Adds a node; `outputs` are new value names. Returns the first output name. */
  node(op: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, OnnxAttributeValue> = {}): string {
    for (const name of inputs) {
      if (name !== '' && !this.names.has(name)) {
        throw new ConfigError(`ONNX node ${op}: input "${name}" is not defined before use`);
      }
    }
    for (const name of outputs) this.claim(name);
    this.nodes.push({
      opType: op,
      name: `${op}_${this.nodes.length}`,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attrs).map(([key, value]) => attribute(key, value)),
    });
    return outputs[0];
  }

  /** Declares a graph output (a value some node produced). */
  output(name: string, dims: readonly OnnxDim[], type: OnnxElementType = 'float32'): this {
    if (!this.names.has(name)) throw new ConfigError(`ONNX output "${name}" is not produced by any node`);
    this.outputs.push(valueInfo(name, dims, type));
    return this;
  }

  /** Serialises the model (ModelProto) to bytes for `InferenceSession.create` or a .onnx file. */
  toBytes(options: { opset?: number; producer?: string; docString?: string } = {}): Uint8Array {
    if (this.outputs.length === 0) throw new ConfigError('ONNX graph has no outputs');
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: options.opset ?? ONNX_DEFAULT_OPSET }],
      producerName: options.producer ?? 'musicrec',
      producerVersion: '0.1.0',
      docString: options.docString ?? '',
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new ConfigError(`ONNX value name "${name}" is already used in this graph`);
    this.names.add(name);
  }
}

function valueInfo(name: string, dims: readonly OnnxDim[], type: OnnxElementType): proto.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: OnnxAttributeValue): proto.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
  }
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  return { name, type: T.FLOAT, f: value.float };
}
