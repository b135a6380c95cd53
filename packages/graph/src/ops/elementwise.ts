import type { Sym } from '../graph.js';
import { type OpDefinition, unbroadcast, when } from './op-definition.js';

/** Elementwise operations (numpy broadcasting) and their gradients. */

export const Add: OpDefinition = {
  type: 'Add',
  gradient: (gr, n, g, need) =>
    n.inputs.map((x, k) => when(need[k], () => unbroadcast(gr, g, x.shape))),
};
export const Sub: OpDefinition = {
  type: 'Sub',
  gradient: (gr, n, g, need) => [
    when(need[0], () => unbroadcast(gr, g, n.inputs[0]!.shape)),
    when(need[1], () => unbroadcast(gr, gr.neg(g), n.inputs[1]!.shape)),
  ],
};
export const Mul: OpDefinition = {
  type: 'Mul',
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
  gradient: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const y = n.outputs[0]!;
    return [
      when(need[0], () => unbroadcast(gr, gr.div(g, b), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.neg(gr.div(gr.mul(g, y), b)), b.shape)),
    ];
  },
};
export const Neg: OpDefinition = { type: 'Neg', gradient: (gr, _n, g) => [gr.neg(g)] };
export const Sqrt: OpDefinition = {
  type: 'Sqrt',
  gradient: (gr, n, g) => [gr.div(gr.mul(g, 0.5), n.outputs[0]!)],
};
export const Exp: OpDefinition = {
  type: 'Exp',
  gradient: (gr, n, g) => [gr.mul(g, n.outputs[0]!)],
};
export const Log: OpDefinition = { type: 'Log', gradient: (gr, n, g) => [gr.div(g, n.inputs[0]!)] };
export const Abs: OpDefinition = {
  type: 'Abs',
  gradient: (gr, n, g) => [gr.mul(g, gr.sign(n.inputs[0]!))],
};
export const Sign: OpDefinition = { type: 'Sign', gradient: 'zero' };
export const Relu: OpDefinition = {
  type: 'Relu',
  gradient: (gr, n, g) => [gr.where(gr.positive(n.inputs[0]!), g, 0)],
};
export const LeakyRelu: OpDefinition = {
  type: 'LeakyRelu',
  gradient: (gr, n, g) => {
    const alpha = (n.attrs.alpha as { float: number }).float;
    return [gr.mul(g, gr.where(gr.positive(n.inputs[0]!), 1, alpha))];
  },
};
export const Softplus: OpDefinition = {
  type: 'Softplus',
  gradient: (gr, n, g) => [gr.mul(g, gr.sigmoid(n.inputs[0]!))],
};
export const Sigmoid: OpDefinition = {
  type: 'Sigmoid',
  gradient: (gr, n, g) => {
    const y = n.outputs[0]!;
    return [gr.mul(g, gr.mul(y, gr.sub(1, y)))];
  },
};
/** Elementwise maximum: the gradient goes to the first operand where it is >= the second. */
export const Max: OpDefinition = {
  type: 'Max',
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
  gradient: (gr, n, g, need) => {
    const [c, x, y] = n.inputs as [Sym, Sym, Sym];
    return [
      null,
      when(need[1], () => unbroadcast(gr, gr.where(c, g, 0), x.shape)),
      when(need[2], () => unbroadcast(gr, gr.where(c, 0, g), y.shape)),
    ];
  },
};
export const Greater: OpDefinition = { type: 'Greater', gradient: 'zero' };
export const GreaterOrEqual: OpDefinition = { type: 'GreaterOrEqual', gradient: 'zero' };
export const Equal: OpDefinition = { type: 'Equal', gradient: 'zero' };
export const Cast: OpDefinition = { type: 'Cast', gradient: 'zero' };
