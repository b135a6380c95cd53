import { createRng } from '@zs-sbir/core';
import { describe, expect, it } from 'vitest';
import { gradients } from './gradients.js';
import { Graph } from './graph.js';
import { graphOps } from './graph-ops.js';
import { compileGraph } from './onnx-program.js';

const rng = createRng('graph-ops');
const [n, m] = [3, 4];
const draw = (k: number) => Array.from({ length: k }, () => rng.normal());
const [r1, r2, r3, r4] = [draw(n), draw(m), draw(2 * n * m), draw(n * m)];
const yValues = draw(n * m);

/**
 * f(x) = sum r1 * max(x, axis 1) + sum r2 * min(x, axis 0) + sum r3 * concat([x, x * y])
 *      + sum r4 * maximum(x, y), in float64: the independent reference.
 */
function f64(x: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += r1[i]! * Math.max(...x.slice(i * m, (i + 1) * m));
  for (let j = 0; j < m; j++) {
    total += r2[j]! * Math.min(...Array.from({ length: n }, (_, i) => x[i * m + j]!));
  }
  const joined = [...x, ...x.map((v, k) => v * yValues[k]!)];
  joined.forEach((v, k) => {
    total += r3[k]! * v;
  });
  x.forEach((v, k) => {
    total += r4[k]! * Math.max(v, yValues[k]!);
  });
  return total;
}

describe('graph operations', () => {
  it('max, min, concat and maximum differentiate as float64 finite differences say', async () => {
    const g = new Graph();
    const ops = graphOps(g);
    const x = g.input('x', [n, m]);
    const y = g.input('y', [n, m]);
    const c = (values: number[], shape: number[]) => ops.constant(values, shape);
    const total = ops.addN([
      ops.sum(ops.mul(ops.max(x, 1), c(r1, [n]))),
      ops.sum(ops.mul(ops.min(x, 0), c(r2, [m]))),
      ops.sum(ops.mul(ops.concat([x, ops.mul(x, y)], 0), c(r3, [2 * n, m]))),
      ops.sum(ops.mul(ops.maximum(x, y), c(r4, [n, m]))),
    ]);
    g.output('f', total);
    g.output('grad', gradients(g, total, [x])[0]!);
    const program = await compileGraph(g, { threads: 1 });
    const xValues = draw(n * m);
    await program.run({ x: Float32Array.from(xValues), y: Float32Array.from(yValues) });
    expect(program.outputs.f![0]).toBeCloseTo(f64(xValues), 4);
    const h = 1e-6;
    xValues.forEach((_, k) => {
      const up = xValues.map((v, i) => (i === k ? v + h : v));
      const down = xValues.map((v, i) => (i === k ? v - h : v));
      const numeric = (f64(up) - f64(down)) / (2 * h);
      expect(Math.abs(program.outputs.grad![k]! - numeric)).toBeLessThan(1e-4);
    });
    await program.dispose();
  });

  it('names a variable that is not an input of the graph', () => {
    const ops = graphOps(new Graph());
    expect(() => ops.variable({ name: 'w', shape: [2] } as never)).toThrow(
      "graphOps: the variable 'w' [2] is not an input of this graph",
    );
  });
});
