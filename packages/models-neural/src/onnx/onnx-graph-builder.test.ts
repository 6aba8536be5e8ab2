import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ConfigError } from '@musicrec/core';
import { OnnxGraphBuilder } from './onnx-graph-builder';

function tinyMatMul(): Uint8Array {
  const g = new OnnxGraphBuilder('tiny');
  g.input('x', ['n', 2], 'float32');
  g.initializer('w', Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
  g.node('MatMul', ['x', 'w'], ['y']);
  g.output('y', ['n', 3]);
  return g.toBytes({ producer: 'test' });
}

describe('OnnxGraphBuilder', () => {
  it('writes a model onnxruntime loads and runs: [1, 1]·[[1,2,3],[4,5,6]] = [5, 7, 9]', async () => {
    const session = await ort.InferenceSession.create(tinyMatMul());
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 1, 0, 2), [2, 2]) });
    expect(out.y.dims).toEqual([2, 3]);
    expect(Array.from(out.y.data as Float32Array)).toEqual([5, 7, 9, 8, 10, 12]);
  });

  it('declared shapes are enforced by onnxruntime: a wrong inner dimension is rejected', async () => {
    const session = await ort.InferenceSession.create(tinyMatMul());
    await expect(session.run({ x: new ort.Tensor('float32', new Float32Array(3), [1, 3]) })).rejects.toThrow(/dimension|shape/i);
  });

  it('stores int32 and int64 initializers with their element types', async () => {
    const g = new OnnxGraphBuilder('ints');
    g.input('i', [2], 'int64');
    g.initializer('table', Int32Array.of(10, 20, 30), [3]);
    g.initializer('offset', BigInt64Array.of(1n), [1]);
    const shifted = g.node('Add', ['i', 'offset'], ['shifted']);
    g.node('Gather', ['table', shifted], ['picked'], { axis: 0 });
    g.output('picked', [2], 'int32');
    const session = await ort.InferenceSession.create(g.toBytes());
    const out = await session.run({ i: new ort.Tensor('int64', BigInt64Array.of(0n, 1n), [2]) });
    expect(Array.from(out.picked.data as Int32Array)).toEqual([20, 30]);
  });

  it('rejects reused names, undefined inputs, mismatched dims and graphs without outputs', () => {
    const g = new OnnxGraphBuilder();
    g.input('x', [2]);
    expect(() => g.input('x', [2])).toThrow(ConfigError);
    expect(() => g.initializer('w', new Float32Array(5), [2, 3])).toThrow(/dims \[2, 3\] hold 6 values, data has 5/);
    expect(() => g.node('Relu', ['nope'], ['y'])).toThrow(/input "nope" is not defined/);
    expect(() => g.output('missing', [2])).toThrow(/not produced/);
    g.node('Relu', ['x'], ['y']);
    expect(() => g.node('Neg', ['x'], ['y'])).toThrow(/"y" is already used/);
    expect(() => g.toBytes()).toThrow(/no outputs/);
  });

  it('fresh names never collide with declared ones', () => {
    const g = new OnnxGraphBuilder();
    g.input('h_0', [1]);
    expect(g.fresh('h')).toBe('h_1');
    expect(g.fresh('h')).toBe('h_2');
  });
});
