import type { Sym } from '../graph.js';
import { type OpDefinition, unbroadcast, when } from './op-definition.js';
import { broadcastInputs, sameAsInput } from './shape-rules.js';

/** Elementwise operations (numpy broadcasting), their shape rules and gradients. */

/** A float32 operation of two broadcast operands. */
const binary = { attributes: [], arity: 2, shape: broadcastInputs } as const;
/** A float32 operation of one operand, the output shaped like it. */
const unary = { attributes: [], arity: 1, shape: sameAsInput } as const;
/** A comparison of two float32 operands, broadcast: a bool tensor. */
const comparison = { ...binary, dtype: 'bool', gradient: 'zero' } as const;

export const Add: OpDefinition = {
  type: 'Add',
  ...binary,
  gradient: (gr, n, g, need) =>
    n.inputs.map((x, k) => when(need[k], () => unbroadcast(gr, g, x.shape))),
};
export const Sub: OpDefinition = {
  type: 'Sub',
  ...binary,
  gradient: (gr, n, g, need) => [
    when(need[0], () => unbroadcast(gr, g, n.inputs[0]!.shape)),
    when(need[1], () => unbroadcast(gr, gr.neg(g), n.inputs[1]!.shape)),
  ],
};
export const Mul: OpDefinition = {
  type: 'Mul',
  ...binary,
  gradient: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    return [
      when(need[0], () => unbroadcast(gr, gr.mul(g, b), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.mul(g, a), b.shape)),
    ];
  },
};
export const Div: OpDefinition = {
  type: 'Div',
  ...binary,
  gradient: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const y = n.outputs[0]!;
    return [
      when(need[0], () => unbroadcast(gr, gr.div(g, b), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.neg(gr.div(gr.mul(g, y), b)), b.shape)),
    ];
  },
};
export const Neg: OpDefinition = { type: 'Neg', ...unary, gradient: (gr, _n, g) => [gr.neg(g)] };
export const Sqrt: OpDefinition = {
  type: 'Sqrt',
  ...unary,
  gradient: (gr, n, g) => [gr.div(gr.mul(g, 0.5), n.outputs[0]!)],
};
export const Exp: OpDefinition = {
  type: 'Exp',
  ...unary,
  gradient: (gr, n, g) => [gr.mul(g, n.outputs[0]!)],
};
export const Log: OpDefinition = {
  type: 'Log',
  ...unary,
  gradient: (gr, n, g) => [gr.div(g, n.inputs[0]!)],
};
export const Abs: OpDefinition = {
  type: 'Abs',
  ...unary,
  gradient: (gr, n, g) => [gr.mul(g, gr.sign(n.inputs[0]!))],
};
export const Sign: OpDefinition = { type: 'Sign', ...unary, gradient: 'zero' };
export const Relu: OpDefinition = {
  type: 'Relu',
  ...unary,
  gradient: (gr, n, g) => [gr.where(gr.positive(n.inputs[0]!), g, 0)],
};
export const LeakyRelu: OpDefinition = {
  type: 'LeakyRelu',
  ...unary,
  attributes: ['alpha'],
  gradient: (gr, n, g) => {
    const alpha = (n.attrs.alpha as { float: number }).float;
    return [gr.mul(g, gr.where(gr.positive(n.inputs[0]!), 1, alpha))];
  },
};
export const Softplus: OpDefinition = {
  type: 'Softplus',
  ...unary,
  gradient: (gr, n, g) => [gr.mul(g, gr.sigmoid(n.inputs[0]!))],
};
export const Sigmoid: OpDefinition = {
  type: 'Sigmoid',
  ...unary,
  gradient: (gr, n, g) => {
    const y = n.outputs[0]!;
    return [gr.mul(g, gr.mul(y, gr.sub(1, y)))];
  },
};
/** Elementwise maximum: the gradient goes to the first operand where it is >= the second. */
export const Max: OpDefinition = {
  type: 'Max',
  ...binary,
  gradient: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const first = gr.greaterOrEqual(a, b);
    return [
      when(need[0], () => unbroadcast(gr, gr.where(first, g, 0), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.where(first, 0, g), b.shape)),
    ];
  },
};
export const Where: OpDefinition = {
  type: 'Where',
  attributes: [],
  arity: 3,
  inputTypes: ['bool', 'float32', 'float32'],
  shape: broadcastInputs,
  gradient: (gr, n, g, need) => {
    const [c, x, y] = n.inputs as [Sym, Sym, Sym];
    return [
      null,
      when(need[1], () => unbroadcast(gr, gr.where(c, g, 0), x.shape)),
      when(need[2], () => unbroadcast(gr, gr.where(c, 0, g), y.shape)),
    ];
  },
};
export const Greater: OpDefinition = { type: 'Greater', ...comparison };
export const GreaterOrEqual: OpDefinition = { type: 'GreaterOrEqual', ...comparison };
export const Equal: OpDefinition = { type: 'Equal', ...comparison };
/** A bool tensor as float32 0 and 1 (`to: 1`, ONNX's FLOAT). */
export const Cast: OpDefinition = {
  type: 'Cast',
  ...unary,
  attributes: ['to'],
  inputTypes: ['bool'],
  gradient: 'zero',
};
