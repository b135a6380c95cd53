import type { Graph, GraphNode, Sym } from '../graph.js';
import { type OpDefinition, sameShape } from './op-definition.js';

/** Reductions, the matrix product and log-softmax, with their gradients. */

export const ReduceSum: OpDefinition = {
  type: 'ReduceSum',
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
export const ReduceMax: OpDefinition = { type: 'ReduceMax', gradient: extremeGradient };
export const ReduceMin: OpDefinition = { type: 'ReduceMin', gradient: extremeGradient };

/** `Y = op(A) op(B)`: `d op(A) = G op(B)^T`, `d op(B) = op(A)^T G`. */
export const Gemm: OpDefinition = {
  type: 'Gemm',
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
  gradient: (gr, n, g) => [gr.sub(g, gr.mul(gr.exp(n.outputs[0]!), gr.reduceSum(g, [-1], true)))],
};
