import { describe, expect, it } from 'vitest';
import { gradients } from './gradients.js';
import { Graph } from './graph.js';
import { OnnxError } from './onnx-error.js';
import { compileGraph } from './onnx-program.js';

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
});
