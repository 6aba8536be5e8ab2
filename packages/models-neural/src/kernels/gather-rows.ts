import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

type NumericArray = Float32Array | Int32Array;

/**
 * out[r] = x[indices[r]] for rows of `rowSize` values: one contiguous copy per row. Throws on
 * an index outside [0, nRows), as tfjs's cpu kernel does (wasm would read past the table).
 */
export function gatherRows<T extends NumericArray>(x: NumericArray, indices: NumericArray, rowSize: number, nRows: number, out: T): T {
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (!(i >= 0 && i < nRows)) throw new RangeError(`gather: index ${i} at position ${r} is outside [0, ${nRows - 1}]`);
    out.set(x.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
  }
  return out;
}

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): NumericArray;
}

interface JsArrayBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: NumericArray): TensorInfo;
}

/**
 * GatherV2 along axis 0 (embedding lookups: every tf.gather of a table by ids) as row copies.
 * tfjs-backend-wasm's kernel walks every output element through an N-d index: gathering
 * 20,480 rows of a 17,632 × 64 table took 125–600 ms per call on 2 cores, the copy takes ~1 ms.
 * Other axes, batchDims and dtypes go to the backend's own kernel.
 */
function rowGather(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
    const normalisedAxis = axis < 0 ? axis + x.shape.length : axis;
    if (normalisedAxis !== 0 || (batchDims ?? 0) !== 0 || x.shape.length < 1 || (x.dtype !== 'float32' && x.dtype !== 'int32')) {
      return fallback(args);
    }
    const nRows = x.shape[0];
    const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
    const outShape = [...indices.shape, ...x.shape.slice(1)];
    const heap = backend as unknown as Partial<WasmHeapBackend>;
    if (typeof heap.typedArrayFromHeap === 'function' && typeof heap.makeOutput === 'function') {
      const out = heap.makeOutput(outShape, x.dtype);
      gatherRows(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(indices), rowSize, nRows, heap.typedArrayFromHeap(out));
      return out;
    }
    const js = backend as unknown as JsArrayBackend;
    const values = js.readSync(x.dataId) as NumericArray;
    const ids = js.readSync(indices.dataId) as NumericArray;
    const size = indices.shape.reduce((a, b) => a * b, 1) * rowSize;
    const out = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    gatherRows(values, ids, rowSize, nRows, out);
    return js.makeTensorInfo(outShape, x.dtype, out);
  };
}

/** Backends whose GatherV2 gets the row-copy path (the GPU backends have fast kernels of their own). */
export const rowGatherBackends = ['wasm', 'cpu'] as const;

const installed = new Set<string>();

/**
 * Wraps each backend's GatherV2 with the row-copy path for axis-0 lookups, once per backend;
 * call after the backend modules are imported (they register their own kernel).
 */
export function registerRowGatherKernels(): void {
  for (const backendName of rowGatherBackends) {
    if (installed.has(backendName)) continue;
    const own = tf.getKernel(tf.GatherV2, backendName) as KernelConfig | undefined;
    if (!own) continue;
    tf.unregisterKernel(tf.GatherV2, backendName);
    // the backend's setup (wasm binds its C function there) stays, so the fallback keeps working
    const config: KernelConfig = { ...own, kernelFunc: rowGather(own.kernelFunc as KernelFunc) };
    tf.registerKernel(config);
    installed.add(backendName);
  }
}
