import * as ort from 'onnxruntime-node';

/**
 * Test helper: runs a scorer graph for `users` on onnxruntime's CPU provider. onnxruntime-node
 * is a dependency of @musicrec/retrieval; models-neural only needs it in tests, where the
 * workspace's hoisted copy is used.
 */
export async function runScorer(bytes: Uint8Array, users: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const user = new ort.Tensor('int64', BigInt64Array.from(users.map(BigInt)), [users.length]);
  const out = await session.run({ user });
  const scores = out.scores;
  return { data: scores.data as Float32Array, dims: scores.dims };
}

/** Runs a graph with one float input of the given shape. */
export async function runFloat(bytes: Uint8Array, name: string, data: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const out = await session.run({ [name]: new ort.Tensor('float32', data, dims) });
  const value = out[session.outputNames[0]];
  return { data: value.data as Float32Array, dims: value.dims };
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol * scale)) {
      throw new Error(`index ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol * scale})`);
    }
  }
}

/** Plain dense layer for reference computations: rows × in → rows × out, float64. */
export function denseRef(x: Float64Array, rows: number, weight: Float32Array, bias: Float32Array, relu: boolean): Float64Array {
  const out = bias.length;
  const inDim = weight.length / out;
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < out; j++) {
      let s = bias[j];
      for (let c = 0; c < inDim; c++) s += x[r * inDim + c] * weight[c * out + j];
      y[r * out + j] = relu ? Math.max(0, s) : s;
    }
  }
  return y;
}
