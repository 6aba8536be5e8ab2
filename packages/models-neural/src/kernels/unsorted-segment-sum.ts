import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { scatterAddRows } from './scatter-add';

/** The wasm backend's own heap API (outputs live on the wasm heap, read without a copy). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
}

/** The cpu backend's API (values live in JS typed arrays). */
interface JsArrayBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): TensorInfo;
}

function shapeOf(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): { outShape: number[]; rowSize: number } {
  // segment ids cover the leading dims of x; each id owns one row of the remaining dims
  const inner = x.shape.slice(segmentIds.shape.length);
  return { outShape: [numSegments, ...inner], rowSize: tf.util.sizeFromShape(inner) };
}

/**
 * UnsortedSegmentSum as a scatter-add. It is the gradient of tf.gather (embedding lookups):
 * tfjs-backend-wasm has no such kernel and the cpu one loops over every segment with a
 * full mask (O(segments · rows · dim)), which makes embedding training unusable.
 */
export const scatterAddUnsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const { outShape, rowSize } = shapeOf(x, segmentIds, numSegments);
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const heap = backend as unknown as Partial<WasmHeapBackend>;
  if (typeof heap.typedArrayFromHeap === 'function' && typeof heap.makeOutput === 'function') {
    const out = heap.makeOutput(outShape, dtype);
    scatterAddRows(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(segmentIds), rowSize, numSegments, heap.typedArrayFromHeap(out));
    return out;
  }
  const js = backend as unknown as JsArrayBackend;
  const xValues = js.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = js.readSync(segmentIds.dataId) as Int32Array;
  const out = dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  scatterAddRows(xValues, ids, rowSize, numSegments, out);
  return js.makeTensorInfo(outShape, dtype, out);
};

/** Backends that get the scatter-add kernel (webgpu and tensorflow have fast ones of their own). */
export const scatterAddBackends = ['wasm', 'cpu'] as const;

/**
 * Registers the scatter-add UnsortedSegmentSum for wasm and cpu, replacing any registered
 * one. Call after the backend modules are imported: importing tfjs-backend-cpu registers
 * its own kernel and would overwrite ours.
 */
export function registerScatterAddKernels(): void {
  for (const backendName of scatterAddBackends) {
    if (tf.getKernel(tf.UnsortedSegmentSum, backendName)) tf.unregisterKernel(tf.UnsortedSegmentSum, backendName);
    const config: KernelConfig = { kernelName: tf.UnsortedSegmentSum, backendName, kernelFunc: scatterAddUnsortedSegmentSum };
    tf.registerKernel(config);
  }
}
