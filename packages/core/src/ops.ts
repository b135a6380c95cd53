import { leakyRelu } from './activations.js';
import { tf } from './tf.js';

/**
 * The tensor operations a piece of math (a loss, a critic objective, an MLP forward pass) is
 * written against, so that one definition runs on every training engine: {@link tfOps} computes
 * eagerly with TensorFlow.js; `@zs-sbir/wad-cmsn`'s graph operations build the same computation
 * as a symbolic graph for ONNX Runtime. Names and semantics are TensorFlow.js's.
 *
 * Conventions: every value is float32; a `number` operand is a scalar. Comparisons
 * (`equal`, `greater`, `step`) return float32 masks of 0 and 1 and pass no gradient. Labels are
 * class indices held in a tensor (int32 in TensorFlow.js, float32 in a graph); compare them with
 * `equal` or turn them into rows with `oneHot`.
 */
export interface Ops<T> {
  /** Which implementation this is (`'tfjs'`, `'graph'`). */
  readonly engine: string;
  /** The static shape of `x`. */
  shape(x: T): readonly number[];
  /** A constant tensor of `values` (row-major) and `shape`. */
  constant(values: ArrayLike<number>, shape: readonly number[]): T;
  add(a: T | number, b: T | number): T;
  sub(a: T | number, b: T | number): T;
  mul(a: T | number, b: T | number): T;
  div(a: T | number, b: T | number): T;
  /** Elementwise maximum (gradient to `a` where `a >= b`, else to `b`). */
  maximum(a: T, b: T | number): T;
  neg(x: T): T;
  sqrt(x: T): T;
  square(x: T): T;
  exp(x: T): T;
  log(x: T): T;
  abs(x: T): T;
  relu(x: T): T;
  /** `relu(x) - slope * relu(-x)`: exact second-order gradient (core's `leakyRelu`). */
  leakyRelu(x: T, slope: number): T;
  softplus(x: T): T;
  /** `x > 0 ? 1 : 0` (no gradient). */
  step(x: T): T;
  /** `a == b ? 1 : 0`, broadcasting (no gradient). */
  equal(a: T, b: T): T;
  /** Rows `labels` of the identity: `[n]` class indices -> `[n, depth]` (no gradient). */
  oneHot(labels: T, depth: number): T;
  /** `op(a) op(b)` of two matrices, `op` transposing when asked. */
  matMul(a: T, b: T, transposeA?: boolean, transposeB?: boolean): T;
  /** Sum over `axis` (all axes when omitted; negative counts from the end). */
  sum(x: T, axis?: number | readonly number[], keepDims?: boolean): T;
  /** Mean over `axis` (all axes when omitted). */
  mean(x: T, axis?: number | readonly number[], keepDims?: boolean): T;
  /** Maximum over `axis`; the gradient goes to every element equal to the maximum. */
  max(x: T, axis: number, keepDims?: boolean): T;
  /** Minimum over `axis`; the gradient goes to every element equal to the minimum. */
  min(x: T, axis: number, keepDims?: boolean): T;
  /** `log(softmax(x))` over the last axis. */
  logSoftmax(x: T): T;
  reshape(x: T, shape: readonly number[]): T;
  /** Inserts an axis of size 1 at `axis`. */
  expandDims(x: T, axis: number): T;
  /** Joins tensors along `axis` (default 0). */
  concat(xs: readonly T[], axis?: number): T;
  /** `sum_i xs[i]`. */
  addN(xs: readonly T[]): T;
  /**
   * The value of a trained variable: in TensorFlow.js the variable itself (so `variableGrads`
   * sees it); in a graph an input the engine feeds and differentiates.
   */
  variable(v: tf.Variable): T;
  /** The gradient of the scalar `f(x)` with respect to `x`, itself differentiable. */
  grad(f: (x: T) => T, x: T): T;
}

const axes = (axis: number | readonly number[] | undefined) =>
  axis === undefined ? undefined : typeof axis === 'number' ? axis : [...axis];

/**
 * {@link Ops} on TensorFlow.js, eager: each call is the `tf` function of the same name (call
 * them inside `tf.tidy`). Comparisons are cast to float32; `leakyRelu` is core's
 * double-backprop-safe form.
 */
export const tfOps: Ops<tf.Tensor> = {
  engine: 'tfjs',
  shape: (x) => x.shape,
  constant: (values, shape) => tf.tensor(Float32Array.from(values), [...shape], 'float32'),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  maximum: (a, b) => tf.maximum(a, b),
  neg: (x) => tf.neg(x),
  sqrt: (x) => tf.sqrt(x),
  square: (x) => tf.square(x),
  exp: (x) => tf.exp(x),
  log: (x) => tf.log(x),
  abs: (x) => tf.abs(x),
  relu: (x) => tf.relu(x),
  leakyRelu: (x, slope) => leakyRelu(x, slope),
  softplus: (x) => tf.softplus(x),
  step: (x) => tf.step(x),
  equal: (a, b) => tf.cast(tf.equal(a, b), 'float32'),
  oneHot: (labels, depth) =>
    tf.cast(tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, depth), 'float32'),
  matMul: (a, b, ta = false, tb = false) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb),
  sum: (x, axis, keepDims = false) => tf.sum(x, axes(axis), keepDims),
  mean: (x, axis, keepDims = false) => tf.mean(x, axes(axis), keepDims),
  max: (x, axis, keepDims = false) => tf.max(x, axis, keepDims),
  min: (x, axis, keepDims = false) => tf.min(x, axis, keepDims),
  logSoftmax: (x) => tf.logSoftmax(x),
  reshape: (x, shape) => tf.reshape(x, [...shape]),
  expandDims: (x, axis) => tf.expandDims(x, axis),
  concat: (xs, axis = 0) => tf.concat([...xs], axis),
  addN: (xs) => (xs.length === 1 ? xs[0]! : tf.addN([...xs])),
  variable: (v) => v,
  grad: (f, x) => tf.grad(f)(x),
};
