import { createRng } from '@zs-sbir/core';
import { describe, expect, it } from 'vitest';
import { gradients } from '../gradients.js';
import { Graph, type Sym } from '../graph.js';
import { compileGraph } from '../onnx-program.js';
import { OP_DEFINITIONS } from './index.js';

const [R, C] = [2, 3];
const at = (x: readonly number[], i: number, j: number) => x[i * C + j]!;
const colSum = (x: readonly number[], j: number) => at(x, 0, j) + at(x, 1, j);
/** `f(x[i][j], colSum[j])` over the 2 x 3 input, row-major. */
const withCols = (x: readonly number[], f: (v: number, c: number) => number) =>
  x.map((v, k) => f(v, colSum(x, k % C)));
const rows = (x: readonly number[]) => [x.slice(0, C), x.slice(C)];

/**
 * One check per operation with a gradient: `build` applies the operation to the input `x`
 * ([2, 3]) and possibly a column sum of it (so a broadcast operand is differentiated too);
 * `f64` is the same function written in plain float64 arithmetic (row-major), the reference.
 */
const CASES: Record<string, { build: (g: Graph, x: Sym) => Sym; f64: (x: number[]) => number[] }> =
  {
    Add: { build: (g, x) => g.add(x, cols(g, x)), f64: (x) => withCols(x, (v, c) => v + c) },
    Sub: { build: (g, x) => g.sub(x, cols(g, x)), f64: (x) => withCols(x, (v, c) => v - c) },
    Mul: { build: (g, x) => g.mul(x, cols(g, x)), f64: (x) => withCols(x, (v, c) => v * c) },
    Div: {
      build: (g, x) => g.div(x, g.add(g.mul(cols(g, x), cols(g, x)), 1)),
      f64: (x) => withCols(x, (v, c) => v / (c * c + 1)),
    },
    Max: { build: (g, x) => g.maximum(x, cols(g, x)), f64: (x) => withCols(x, Math.max) },
    Where: {
      build: (g, x) => g.where(g.positive(x), x, cols(g, x)),
      f64: (x) => withCols(x, (v, c) => (v > 0 ? v : c)),
    },
    Neg: { build: (g, x) => g.neg(x), f64: (x) => x.map((v) => -v) },
    Exp: { build: (g, x) => g.exp(x), f64: (x) => x.map(Math.exp) },
    Abs: { build: (g, x) => g.abs(x), f64: (x) => x.map(Math.abs) },
    Relu: { build: (g, x) => g.relu(x), f64: (x) => x.map((v) => Math.max(v, 0)) },
    LeakyRelu: {
      build: (g, x) => g.leakyRelu(x, 0.2),
      f64: (x) => x.map((v) => (v > 0 ? v : 0.2 * v)),
    },
    Softplus: { build: (g, x) => g.softplus(x), f64: (x) => x.map((v) => Math.log1p(Math.exp(v))) },
    Sigmoid: { build: (g, x) => g.sigmoid(x), f64: (x) => x.map((v) => 1 / (1 + Math.exp(-v))) },
    Sqrt: {
      build: (g, x) => g.sqrt(g.add(g.mul(x, x), 1)),
      f64: (x) => x.map((v) => Math.sqrt(v * v + 1)),
    },
    Log: {
      build: (g, x) => g.log(g.add(g.mul(x, x), 1)),
      f64: (x) => x.map((v) => Math.log(v * v + 1)),
    },
    ReduceSum: {
      build: (g, x) => g.reduceSum(x, [1]),
      f64: (x) => rows(x).map((r) => r.reduce((a, b) => a + b)),
    },
    ReduceMax: {
      build: (g, x) => g.reduceMax(x, 1),
      f64: (x) => rows(x).map((r) => Math.max(...r)),
    },
    ReduceMin: {
      build: (g, x) => g.reduceMin(x, 0),
      f64: (x) => [0, 1, 2].map((j) => Math.min(at(x, 0, j), at(x, 1, j))),
    },
    Gemm: {
      build: (g, x) => g.matMul(x, x, true, false),
      f64: (x) =>
        [0, 1, 2].flatMap((i) =>
          [0, 1, 2].map((j) => at(x, 0, i) * at(x, 0, j) + at(x, 1, i) * at(x, 1, j)),
        ),
    },
    LogSoftmax: {
      build: (g, x) => g.logSoftmax(x),
      f64: (x) =>
        rows(x).flatMap((r) => {
          const lse = Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
          return r.map((v) => v - lse);
        }),
    },
    Reshape: { build: (g, x) => g.reshape(x, [C, R]), f64: (x) => x },
    Expand: { build: (g, x) => g.expand(x, [2, R, C]), f64: (x) => [...x, ...x] },
    Concat: {
      build: (g, x) => g.concat([x, g.mul(x, x)], 1),
      f64: (x) => rows(x).flatMap((r) => [...r, ...r.map((v) => v * v)]),
    },
    Slice: { build: (g, x) => g.slice(x, 1, 1, 3), f64: (x) => rows(x).flatMap((r) => r.slice(1)) },
    Pad: {
      build: (g, x) => g.pad(x, [1, 0], [0, 2]),
      f64: (x) => [0, 0, 0, 0, 0, ...rows(x).flatMap((r) => [...r, 0, 0])],
    },
    Alias: {
      build: (g, x) => g.alias(g.mul(x, x), g.mul(g.mul(x, x), 1)),
      f64: (x) => x.map((v) => v * v),
    },
  };

/** The column sums of `x`, [1, 3]: a broadcast operand. */
function cols(g: Graph, x: Sym): Sym {
  return g.reduceSum(x, [0], true);
}

describe('every operation with a gradient', () => {
  it('has a check, and its gradient matches float64 central differences', async () => {
    const rng = createRng('op-definitions');
    const differentiable = OP_DEFINITIONS.filter((d) => d.gradient !== 'zero');
    expect(differentiable.map((d) => d.type).filter((t) => !CASES[t])).toEqual([]);
    const g = new Graph();
    const x = g.input('x', [R, C]);
    const weights = new Map<string, number[]>();
    for (const def of differentiable) {
      const before = g.nodes.length;
      const y = CASES[def.type]!.build(g, x);
      expect(g.nodes.slice(before).some((n) => n.definition === def)).toBe(true);
      const r = Array.from({ length: y.shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
      weights.set(def.type, r);
      const f = g.sum(g.mul(y, g.constant(Float32Array.from(r), y.shape)));
      g.output(`f_${def.type}`, f);
      g.output(`g_${def.type}`, gradients(g, f, [x])[0]!);
    }
    const program = await compileGraph(g, { threads: 1 });
    // Away from the kinks of abs, relu, max and min, and without ties.
    const xValues = Array.from(
      { length: R * C },
      () => (rng.next() < 0.5 ? -1 : 1) * (0.3 + rng.next()),
    );
    await program.run({ x: Float32Array.from(xValues) });
    const failures: string[] = [];
    for (const def of differentiable) {
      const r = weights.get(def.type)!;
      const f64 = (v: number[]) => CASES[def.type]!.f64(v).reduce((a, y, k) => a + r[k]! * y, 0);
      expect(program.outputs[`f_${def.type}`]![0]).toBeCloseTo(f64(xValues), 4);
      const h = 1e-6;
      xValues.forEach((_, k) => {
        const up = xValues.map((v, i) => (i === k ? v + h : v));
        const down = xValues.map((v, i) => (i === k ? v - h : v));
        const numeric = (f64(up) - f64(down)) / (2 * h);
        const got = program.outputs[`g_${def.type}`]![k]!;
        if (Math.abs(got - numeric) > 1e-4 * Math.max(1, Math.abs(numeric))) {
          failures.push(`${def.type} d/dx[${k}]: ${got} vs ${numeric}`);
        }
      });
    }
    expect(failures).toEqual([]);
    await program.dispose();
  });
});

/**
 * One case per operation: `build` makes a node of it from `x` ([2, 3]) with the `shape` and
 * `dtype` it must infer; `misfit` gives it inputs that do not fit, which must throw an error
 * beginning with the operation's name and holding `error`.
 */
const SHAPES: Record<
  string,
  {
    build: (g: Graph, x: Sym) => Sym;
    shape: number[];
    dtype?: string;
    misfit: (g: Graph, x: Sym) => Sym;
    error: string;
  }
> = {};
const unaryCase = (build: (g: Graph, x: Sym) => Sym) => ({
  build,
  shape: [R, C],
  misfit: (g: Graph, x: Sym) => build(g, g.positive(x)),
  error: 'input 0 must be float32, got bool',
});
const binaryCase = (build: (g: Graph, a: Sym, b: Sym) => Sym, dtype?: string) => ({
  build: (g: Graph, x: Sym) => build(g, x, cols(g, x)),
  shape: [R, C],
  dtype,
  misfit: (g: Graph, x: Sym) => build(g, x, g.reshape(x, [C, R])),
  error: 'shapes [2, 3] and [3, 2] do not broadcast',
});
Object.assign(SHAPES, {
  Add: binaryCase((g, a, b) => g.add(a, b)),
  Sub: binaryCase((g, a, b) => g.sub(a, b)),
  Mul: binaryCase((g, a, b) => g.mul(a, b)),
  Div: binaryCase((g, a, b) => g.div(a, b)),
  Max: binaryCase((g, a, b) => g.maximum(a, b)),
  Greater: {
    ...unaryCase((g, x) => g.positive(x)),
    dtype: 'bool',
    error: 'input 0 must be float32, got bool',
  },
  GreaterOrEqual: binaryCase((g, a, b) => g.greaterOrEqual(a, b), 'bool'),
  Equal: binaryCase((g, a, b) => g.equal(a, b), 'bool'),
  Where: {
    ...binaryCase((g, a, b) => g.where(g.positive(a), a, b)),
    misfit: (g: Graph, x: Sym) => g.where(g.positive(x), x, g.reshape(x, [C, R])),
    error: 'shapes [2, 3], [2, 3] and [3, 2] do not broadcast',
  },
  Cast: {
    build: (g: Graph, x: Sym) => g.toFloat(g.positive(x)),
    shape: [R, C],
    misfit: (g: Graph, x: Sym) => g.toFloat(x),
    error: 'input 0 must be bool, got float32',
  },
  Neg: unaryCase((g, x) => g.neg(x)),
  Sqrt: unaryCase((g, x) => g.sqrt(x)),
  Exp: unaryCase((g, x) => g.exp(x)),
  Log: unaryCase((g, x) => g.log(x)),
  Abs: unaryCase((g, x) => g.abs(x)),
  Sign: unaryCase((g, x) => g.sign(x)),
  Relu: unaryCase((g, x) => g.relu(x)),
  LeakyRelu: unaryCase((g, x) => g.leakyRelu(x, 0.2)),
  Softplus: unaryCase((g, x) => g.softplus(x)),
  Sigmoid: unaryCase((g, x) => g.sigmoid(x)),
  LogSoftmax: {
    build: (g: Graph, x: Sym) => g.logSoftmax(x),
    shape: [R, C],
    misfit: (g: Graph, x: Sym) => g.logSoftmax(g.sum(x)),
    error: 'needs an axis, got a scalar []',
  },
  ReduceSum: {
    build: (g: Graph, x: Sym) => g.reduceSum(x, [0], true),
    shape: [1, C],
    misfit: (g: Graph, x: Sym) => g.reduceSum(x, [2]),
    error: 'axis 2 is not an axis of [2, 3] (0 to 1)',
  },
  ReduceMax: {
    build: (g: Graph, x: Sym) => g.reduceMax(x, -1),
    shape: [R],
    misfit: (g: Graph, x: Sym) => g.reduceMax(x, 2),
    error: 'axis 2 is not an axis of [2, 3] (0 to 1)',
  },
  ReduceMin: {
    build: (g: Graph, x: Sym) => g.reduceMin(x, 0, true),
    shape: [1, C],
    misfit: (g: Graph, x: Sym) => g.reduceMin(x, -3),
    error: 'axis -1 is not an axis of [2, 3] (0 to 1)',
  },
  Gemm: {
    build: (g: Graph, x: Sym) => g.matMul(x, x, false, true),
    shape: [R, R],
    misfit: (g: Graph, x: Sym) => g.matMul(x, x),
    error: 'inner sizes differ (3 and 2) in [2, 3] x [2, 3]',
  },
  Reshape: {
    build: (g: Graph, x: Sym) => g.reshape(x, [C, 1, R]),
    shape: [C, 1, R],
    misfit: (g: Graph, x: Sym) => g.reshape(x, [C, C]),
    error: '[2, 3] has 6 elements, [3, 3] needs 9',
  },
  Expand: {
    build: (g: Graph, x: Sym) => g.expand(x, [4, R, C]),
    shape: [4, R, C],
    misfit: (g: Graph, x: Sym) => g.expand(x, [R, 4]),
    error: 'shapes [2, 3] and [2, 4] do not broadcast',
  },
  Concat: {
    build: (g: Graph, x: Sym) => g.concat([x, x, x], 0),
    shape: [3 * R, C],
    misfit: (g: Graph, x: Sym) => g.concat([x, g.reshape(x, [C, R])], 0),
    error: 'shapes [2, 3], [3, 2] differ beyond axis 0',
  },
  Slice: {
    build: (g: Graph, x: Sym) => g.slice(x, -1, 1, 2),
    shape: [R, 1],
    misfit: (g: Graph, x: Sym) => g.slice(x, 0, 1, 0),
    error: '[1, 0) is not within 0 to 2 on axis 0 of [2, 3]',
  },
  Pad: {
    build: (g: Graph, x: Sym) => g.pad(x, [1, 0], [2, 3]),
    shape: [R + 3, C + 3],
    misfit: (g: Graph, x: Sym) => g.pad(x, [1, -1], [0, 0]),
    error: '[2, 3] needs 4 non-negative pads (before, then after), got [1, -1, 0, 0]',
  },
  Alias: {
    build: (g: Graph, x: Sym) => g.alias(g.neg(x), x),
    shape: [R, C],
    misfit: (g: Graph, x: Sym) => g.alias(x, g.reshape(x, [C, R])),
    error: 'the value [2, 3] and its definition [3, 2] differ',
  },
});

describe('every operation', () => {
  it('has a shape rule that infers its output, and refuses inputs that do not fit naming itself', () => {
    expect(OP_DEFINITIONS.map((d) => d.type).filter((t) => !SHAPES[t])).toEqual([]);
    const g = new Graph();
    const x = g.input('x', [R, C]);
    for (const def of OP_DEFINITIONS) {
      expect(typeof def.shape).toBe('function');
      const c = SHAPES[def.type]!;
      const y = c.build(g, x);
      expect(y.node?.definition, def.type).toBe(def);
      expect([def.type, ...y.shape, y.dtype]).toEqual([def.type, ...c.shape, c.dtype ?? 'float32']);
      expect(() => c.misfit(g, x), def.type).toThrow(`${def.type}: ${c.error}`);
    }
  });
});
