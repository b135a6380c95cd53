import type { Graph, GraphNode, Sym } from '../graph.js';
import { type OpDefinition, type ShapeRule, sameShape } from './op-definition.js';
import { checkAxis, intsOf, reduced, shapeText } from './shape-rules.js';

/** Reductions, the matrix product and log-softmax, with their shape rules and gradients. */

export const ReduceSum: OpDefinition = {
  type: 'ReduceSum',
  attributes: ['keepdims'],
  arity: 2,
  inputTypes: ['float32', 'int64'],
  shape: ([x, axes], attrs, gr) => {
    const a = intsOf(gr, axes!, 'axes input');
    for (const axis of a) checkAxis(axis, x!.shape);
    return reduced(x!.shape, a, attrs.keepdims === 1);
  },
  gradient: (gr, n, g) => {
    const x = n.inputs[0]!;
    const axes = Array.from(gr.constantValues(n.inputs[1]!) as BigInt64Array, Number);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const g2 = sameShape(g.shape, kept) ? g : gr.reshape(g, kept);
    return [gr.expand(g2, x.shape), null];
  },
};

/** `ReduceMax` / `ReduceMin`: `g` to every element equal to the result (TensorFlow.js's rule). */
function extremeGradient(graph: Graph, node: GraphNode, g: Sym): Sym[] {
  const x = node.inputs[0]!;
  const y = node.outputs[0]!;
  const [axis] = node.attrs.axes as number[];
  const kept = x.shape.map((d, i) => (i === axis ? 1 : d));
  const keep = (s: Sym) => (sameShape(s.shape, kept) ? s : graph.reshape(s, kept));
  return [graph.mul(keep(g), graph.toFloat(graph.equal(x, keep(y))))];
}
/** `ReduceMax` / `ReduceMin` over the one axis of the `axes` attribute. */
const extremeShape: ShapeRule = ([x], attrs) => {
  const axes = attrs.axes as number[];
  if (axes.length !== 1) throw new Error(`reduces one axis, got axes [${axes.join(', ')}]`);
  return reduced(x!.shape, [checkAxis(axes[0]!, x!.shape)], attrs.keepdims === 1);
};
const extreme = { attributes: ['axes', 'keepdims'], arity: 1, shape: extremeShape } as const;
export const ReduceMax: OpDefinition = {
  type: 'ReduceMax',
  ...extreme,
  gradient: extremeGradient,
};
export const ReduceMin: OpDefinition = {
  type: 'ReduceMin',
  ...extreme,
  gradient: extremeGradient,
};

/** `Y = op(A) op(B)`: `d op(A) = G op(B)^T`, `d op(B) = op(A)^T G`. */
export const Gemm: OpDefinition = {
  type: 'Gemm',
  attributes: ['transA', 'transB'],
  arity: 2,
  shape: ([a, b], attrs) => {
    const ta = attrs.transA === 1;
    const tb = attrs.transB === 1;
    const operands = `${shapeText(a!.shape)}${ta ? 'T' : ''} x ${shapeText(b!.shape)}${tb ? 'T' : ''}`;
    if (a!.shape.length !== 2 || b!.shape.length !== 2) {
      throw new Error(`operands must be matrices, got ${operands}`);
    }
    const [m, k] = ta ? [a!.shape[1]!, a!.shape[0]!] : [a!.shape[0]!, a!.shape[1]!];
    const [k2, n] = tb ? [b!.shape[1]!, b!.shape[0]!] : [b!.shape[0]!, b!.shape[1]!];
    if (k !== k2) throw new Error(`inner sizes differ (${k} and ${k2}) in ${operands}`);
    return [m, n];
  },
  gradient: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const ta = n.attrs.transA === 1;
    const tb = n.attrs.transB === 1;
    return [
      need[0] ? (ta ? gr.matMul(b, g, tb, true) : gr.matMul(g, b, false, !tb)) : null,
      need[1] ? (tb ? gr.matMul(g, a, true, ta) : gr.matMul(a, g, !ta, false)) : null,
    ];
  },
};

export const LogSoftmax: OpDefinition = {
  type: 'LogSoftmax',
  attributes: ['axis'],
  arity: 1,
  /** Over the last axis only (the one the gradient rule sums over). */
  shape: ([x], attrs) => {
    const rank = x!.shape.length;
    if (attrs.axis !== -1 && attrs.axis !== rank - 1) {
      throw new Error(
        `works over the last axis (-1), got axis ${attrs.axis} of ${shapeText(x!.shape)}`,
      );
    }
    if (rank === 0) throw new Error('needs an axis, got a scalar []');
    return x!.shape;
  },
  gradient: (gr, n, g) => [gr.sub(g, gr.mul(gr.exp(n.outputs[0]!), gr.reduceSum(g, [-1], true)))],
};
