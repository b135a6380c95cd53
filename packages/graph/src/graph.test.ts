import { describe, expect, it } from 'vitest';
import { gradients } from './gradients.js';
import { Graph } from './graph.js';
import { OnnxError } from './onnx-error.js';
import { toOnnxModel } from './onnx-model.js';
import { compileGraph, importOnnxRuntime } from './onnx-program.js';
import { LeakyRelu } from './ops/elementwise.js';
import type { OpDefinition } from './ops/op-definition.js';

describe('Graph', () => {
  it('infers broadcast and matrix-product shapes, and names what does not fit', () => {
    const g = new Graph();
    const a = g.input('a', [3, 4]);
    const b = g.input('b', [4]);
    expect(g.add(a, b).shape).toEqual([3, 4]);
    expect(g.matMul(a, a, true, false).shape).toEqual([4, 4]);
    expect(g.reduceSum(a, [-1], true).shape).toEqual([3, 1]);
    expect(g.reduceSum(a, [0]).shape).toEqual([4]);
    expect(() => g.add(a, g.input('c', [3]))).toThrow(
      /Add: shapes \[3, 4\] and \[3\] do not broadcast/,
    );
    expect(() => g.matMul(a, a)).toThrow(/inner sizes differ/);
    expect(() => g.reshape(a, [5])).toThrow(/has 12 elements/);
    expect(() => g.input('a', [1])).toThrow(/'a' is already used/);
    expect(() => g.constant(new Float32Array(3), [2, 2])).toThrow(OnnxError);
  });
});

describe('Graph shape errors', () => {
  const g = new Graph();
  const m23 = g.input('m23', [2, 3]);
  const m45 = g.input('m45', [4, 5]);
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(OnnxError);
      return (err as Error).message;
    }
    throw new Error('expected an OnnxError');
  };

  it('name the operation and the shapes of a matrix product or a broadcast that does not fit', () => {
    expect(message(() => g.matMul(m23, m45))).toBe(
      'Gemm: inner sizes differ (3 and 4) in [2, 3] x [4, 5]',
    );
    expect(message(() => g.matMul(m23, m45, true, true))).toBe(
      'Gemm: inner sizes differ (2 and 5) in [2, 3]T x [4, 5]T',
    );
    expect(message(() => g.matMul(m23, g.input('v3', [3])))).toBe(
      'Gemm: operands must be matrices, got [2, 3] x [3]',
    );
    expect(message(() => g.sub(m23, m45))).toBe('Sub: shapes [2, 3] and [4, 5] do not broadcast');
    // Every input is named, not the broadcast of two of them.
    const [c, x, y] = [g.input('c', [4]), g.input('x', [2, 1]), g.input('y', [1, 3])];
    expect(message(() => g.where(g.positive(c), x, y))).toBe(
      'Where: shapes [4], [2, 1] and [1, 3] do not broadcast',
    );
  });

  it('refuse what used to make a wrong shape silently: concat, slice, pad and axes that do not fit', () => {
    expect(message(() => g.concat([m23, m45], 1))).toBe(
      'Concat: shapes [2, 3], [4, 5] differ beyond axis 1',
    );
    expect(message(() => g.slice(m23, 1, 2, 5))).toBe(
      'Slice: [2, 5) is not within 0 to 3 on axis 1 of [2, 3]',
    );
    expect(message(() => g.pad(m23, [1], [1]))).toBe(
      'Pad: [2, 3] needs 4 non-negative pads (before, then after), got [1, 1]',
    );
    expect(message(() => g.reduceSum(m23, [2]))).toBe(
      'ReduceSum: axis 2 is not an axis of [2, 3] (0 to 1)',
    );
    expect(message(() => g.reduceMax(m23, 5))).toBe(
      'ReduceMax: axis 5 is not an axis of [2, 3] (0 to 1)',
    );
    expect(message(() => g.reshape(m23, [4]))).toBe('Reshape: [2, 3] has 6 elements, [4] needs 4');
    expect(message(() => g.alias(m23, m45))).toBe(
      'Alias: the value [2, 3] and its definition [4, 5] differ',
    );
  });

  it('refuse inputs of the wrong element type, number or attributes, naming the inputs', () => {
    expect(message(() => g.add(g.positive(m23), m23))).toBe(
      'Add: input 0 must be float32, got bool (Add of [2, 3] bool, [2, 3] float32)',
    );
    expect(message(() => g.where(m23, m23, 0))).toBe(
      'Where: input 0 must be bool, got float32 (Where of [2, 3] float32, [2, 3] float32, [] float32)',
    );
    expect(message(() => g.concat([], 0))).toBe(
      'Concat: takes one or more inputs, got 0 (Concat of nothing)',
    );
    expect(message(() => g.node(LeakyRelu, [m23]))).toBe(
      'LeakyRelu: takes the attributes {alpha}, got {} (LeakyRelu of [2, 3] float32)',
    );
  });
});

describe('compileGraph', () => {
  it('runs a graph whose outputs include an input and one value under two names', async () => {
    const g = new Graph();
    const x = g.input('x', [2, 2]);
    const y = g.mul(g.add(x, 1), g.constant(Float32Array.of(2, 3), [2]));
    g.output('y', y);
    g.output('y again', y);
    g.output('x out', x);
    const target = new Float32Array(4);
    const p = await compileGraph(g, { threads: 1, outputs: { y: target } });
    await p.run({ x: Float32Array.of(0, 1, 2, 3) });
    expect(Array.from(target)).toEqual([2, 6, 6, 12]);
    expect(p.outputs.y).toBe(target);
    expect(Array.from(p.outputs['y again']!)).toEqual([2, 6, 6, 12]);
    expect(Array.from(p.outputs['x out']!)).toEqual([0, 1, 2, 3]);
    await expect(p.run({ x: new Float32Array(3) })).rejects.toThrow(/input 'x' must hold 4 values/);
    await expect(p.run({})).rejects.toThrow(
      /input 'x' must hold 4 values \(\[2, 2\]\), got nothing/,
    );
    await p.dispose();
  });

  it('reads the value of an alias but differentiates its definition', async () => {
    const g = new Graph();
    const a = g.input('a', [1, 2]);
    const b = g.input('b', [2, 1]);
    const v = g.input('v', [1, 1]);
    const y = g.mul(g.alias(v, g.matMul(a, b)), 3);
    const [gb] = gradients(g, g.sum(y), [b]);
    g.output('y', y);
    g.output('gb', gb!);
    const p = await compileGraph(g, { threads: 1 });
    // v is deliberately not a b: the model must read v, the gradient must be d(3 a b)/db = 3 a^T.
    await p.run({ a: Float32Array.of(1, 2), b: Float32Array.of(5, 7), v: Float32Array.of(-1) });
    expect(Array.from(p.outputs.y!)).toEqual([-3]);
    expect(Array.from(p.outputs.gb!)).toEqual([3, 6]);
    await p.dispose();
  });

  it('runs an operation defined outside the package, written in the ONNX form it declares', async () => {
    const Tanh: OpDefinition = {
      type: 'Tanh',
      attributes: [],
      arity: 1,
      shape: ([x]) => x!.shape,
      gradient: (gr, n, g) => [gr.mul(g, gr.sub(1, gr.square(n.outputs[0]!)))],
    };
    /** `x` in the model, no gradient: an ONNX `Identity`. */
    const StopGradient: OpDefinition = {
      type: 'StopGradient',
      onnx: { type: 'Identity', inputs: [0] },
      attributes: [],
      arity: 1,
      shape: ([x]) => x!.shape,
      gradient: 'zero',
    };
    const g = new Graph();
    const x = g.input('x', [2]);
    const t = g.node(Tanh, [x]);
    const y = g.sum(g.mul(t, g.node(StopGradient, [x])));
    g.output('y', y);
    g.output('dx', gradients(g, y, [x])[0]!);
    const p = await compileGraph(g, { threads: 1 });
    await p.run({ x: Float32Array.of(0.5, -1) });
    // y = sum tanh(x) x with x held constant in the second factor: dy/dx = (1 - tanh^2) x.
    expect(p.outputs.y![0]).toBeCloseTo(0.5 * Math.tanh(0.5) + Math.tanh(1), 5);
    const d = (v: number) => (1 - Math.tanh(v) ** 2) * v;
    expect(Array.from(p.outputs.dx!).map((v) => +v.toFixed(5))).toEqual([
      +d(0.5).toFixed(5),
      +d(-1).toFixed(5),
    ]);
    await p.dispose();
  });

  it('refuses an output array of the wrong size and a non-float output', async () => {
    const g = new Graph();
    const x = g.input('x', [3]);
    g.output('y', g.neg(x));
    await expect(compileGraph(g, { outputs: { y: new Float32Array(2) } })).rejects.toThrow(
      /output 'y' holds 2 values, expected 3/,
    );
    const h = new Graph();
    h.output('mask', h.positive(h.input('x', [3])));
    await expect(compileGraph(h)).rejects.toThrow(/'mask' is bool/);
  });

  it('writes a symbolic batch dimension when asked, so the model runs at any batch size', async () => {
    const g = new Graph();
    const x = g.input('x', [2, 3]);
    g.output('y', g.relu(g.add(x, g.constant(Float32Array.of(1, 2, 3), [3]))));
    const ort = await importOnnxRuntime();
    const run = async (bytes: Uint8Array, rows: number) => {
      const session = await ort.InferenceSession.create(bytes);
      try {
        const input = new ort.Tensor('float32', new Float32Array(rows * 3).fill(-1.5), [rows, 3]);
        const out = (await session.run({ x: input })).y!;
        return { dims: [...out.dims], values: Array.from(out.data as Float32Array) };
      } finally {
        await session.release();
      }
    };
    expect(await run(toOnnxModel(g, { batchDim: 'batch' }), 1)).toEqual({
      dims: [1, 3],
      values: [0, 0.5, 1.5],
    });
    expect((await run(toOnnxModel(g, { batchDim: 'batch' }), 5)).dims).toEqual([5, 3]);
    // Without it the batch is the one the graph was built with.
    await expect(run(toOnnxModel(g), 1)).rejects.toThrow(/dimension|Got: 1/i);
  });
});
