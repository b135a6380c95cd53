import type { Ops, tf } from '@zs-sbir/core';
import { gradients } from './gradients.js';
import type { Graph, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';

const allAxes = (x: Sym) => x.shape.map((_, i) => i);
const axesOf = (x: Sym, axis: number | readonly number[] | undefined) =>
  axis === undefined ? allAxes(x) : typeof axis === 'number' ? [axis] : [...axis];

/**
 * Core's {@link Ops} on a {@link Graph}: each call adds nodes, so a loss, critic objective or MLP
 * written against `Ops` builds the same computation for ONNX Runtime that `tfOps` runs eagerly.
 *
 * @param variables - the graph input standing for each trained variable that `ops.variable` may
 *   be asked for.
 */
export function graphOps(g: Graph, variables: ReadonlyMap<tf.Variable, Sym> = new Map()): Ops<Sym> {
  const ops: Ops<Sym> = {
    engine: 'graph',
    shape: (x) => x.shape,
    constant: (values, shape) => g.constant(Float32Array.from(values), shape),
    add: (a, b) => g.add(a, b),
    sub: (a, b) => g.sub(a, b),
    mul: (a, b) => g.mul(a, b),
    div: (a, b) => g.div(a, b),
    maximum: (a, b) => g.maximum(a, b),
    neg: (x) => g.neg(x),
    sqrt: (x) => g.sqrt(x),
    square: (x) => g.square(x),
    exp: (x) => g.exp(x),
    log: (x) => g.log(x),
    abs: (x) => g.abs(x),
    relu: (x) => g.relu(x),
    leakyRelu: (x, slope) => g.leakyRelu(x, slope),
    softplus: (x) => g.softplus(x),
    step: (x) => g.toFloat(g.positive(x)),
    equal: (a, b) => g.toFloat(g.equal(a, b)),
    oneHot: (labels, depth) =>
      g.toFloat(
        g.equal(
          g.reshape(labels, [...labels.shape, 1]),
          g.constant(
            Float32Array.from({ length: depth }, (_, i) => i),
            [depth],
          ),
        ),
      ),
    matMul: (a, b, ta = false, tb = false) => g.matMul(a, b, ta, tb),
    sum: (x, axis, keepDims = false) => g.reduceSum(x, axesOf(x, axis), keepDims),
    mean: (x, axis, keepDims = false) => g.reduceMean(x, axesOf(x, axis), keepDims),
    max: (x, axis, keepDims = false) => g.reduceMax(x, axis, keepDims),
    min: (x, axis, keepDims = false) => g.reduceMin(x, axis, keepDims),
    logSoftmax: (x) => g.logSoftmax(x),
    reshape: (x, shape) => g.reshape(x, shape),
    expandDims: (x, axis) => {
      const a = axis < 0 ? axis + x.shape.length + 1 : axis;
      return g.reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
    },
    concat: (xs, axis = 0) => (xs.length === 1 ? xs[0]! : g.concat(xs, axis)),
    addN: (xs) => xs.slice(1).reduce((acc, x) => g.add(acc, x), xs[0]!),
    variable: (v) => {
      const s = variables.get(v);
      if (!s) {
        throw new OnnxError(
          `graphOps: the variable '${v.name}' [${v.shape.join(', ')}] is not an input of this graph`,
        );
      }
      return s;
    },
    grad: (f, x) => gradients(g, f(x), [x])[0]!,
  };
  return ops;
}
