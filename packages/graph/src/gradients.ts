import type { Graph, GraphNode, Shape, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Sums a broadcast gradient `g` back down to `shape`. */
function unbroadcast(graph: Graph, g: Sym, shape: Shape): Sym {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes = g.shape.flatMap((d, i) =>
    i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : [],
  );
  const summed = axes.length ? graph.reduceSum(g, axes, false) : g;
  return sameShape(summed.shape, shape) ? summed : graph.reshape(summed, shape);
}

/** `ReduceMax` / `ReduceMin`: `g` to every element equal to the result (TensorFlow.js's rule). */
function extremeGradient(graph: Graph, node: GraphNode, g: Sym): Sym {
  const x = node.inputs[0]!;
  const y = node.outputs[0]!;
  const [axis] = node.attrs.axes as number[];
  const kept = x.shape.map((d, i) => (i === axis ? 1 : d));
  const keep = (s: Sym) => (sameShape(s.shape, kept) ? s : graph.reshape(s, kept));
  return graph.mul(keep(g), graph.toFloat(graph.equal(x, keep(y))));
}

type Rule = (graph: Graph, node: GraphNode, g: Sym, need: readonly boolean[]) => (Sym | null)[];

/** `make()` when `needed`, else null: gradients nobody asked for are never built. */
const when = (needed: boolean | undefined, make: () => Sym): Sym | null => (needed ? make() : null);

/**
 * Vector-Jacobian products: the gradient of each input given the output's gradient `g`, built
 * only for the inputs `need` marks.
 */
const RULES: Record<string, Rule> = {
  Add: (gr, n, g, need) => n.inputs.map((x, k) => when(need[k], () => unbroadcast(gr, g, x.shape))),
  Sub: (gr, n, g, need) => [
    when(need[0], () => unbroadcast(gr, g, n.inputs[0]!.shape)),
    when(need[1], () => unbroadcast(gr, gr.neg(g), n.inputs[1]!.shape)),
  ],
  Mul: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    return [
      when(need[0], () => unbroadcast(gr, gr.mul(g, b), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.mul(g, a), b.shape)),
    ];
  },
  Div: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const y = n.outputs[0]!;
    return [
      when(need[0], () => unbroadcast(gr, gr.div(g, b), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.neg(gr.div(gr.mul(g, y), b)), b.shape)),
    ];
  },
  Neg: (gr, _n, g) => [gr.neg(g)],
  Sqrt: (gr, n, g) => [gr.div(gr.mul(g, 0.5), n.outputs[0]!)],
  Exp: (gr, n, g) => [gr.mul(g, n.outputs[0]!)],
  Log: (gr, n, g) => [gr.div(g, n.inputs[0]!)],
  Abs: (gr, n, g) => [gr.mul(g, gr.sign(n.inputs[0]!))],
  Sign: () => [null],
  Greater: () => [null, null],
  Relu: (gr, n, g) => [gr.where(gr.positive(n.inputs[0]!), g, 0)],
  LeakyRelu: (gr, n, g) => {
    const alpha = (n.attrs.alpha as { float: number }).float;
    return [gr.mul(g, gr.where(gr.positive(n.inputs[0]!), 1, alpha))];
  },
  Softplus: (gr, n, g) => [gr.mul(g, gr.sigmoid(n.inputs[0]!))],
  Sigmoid: (gr, n, g) => {
    const y = n.outputs[0]!;
    return [gr.mul(g, gr.mul(y, gr.sub(1, y)))];
  },
  Where: (gr, n, g, need) => {
    const [c, x, y] = n.inputs as [Sym, Sym, Sym];
    return [
      null,
      when(need[1], () => unbroadcast(gr, gr.where(c, g, 0), x.shape)),
      when(need[2], () => unbroadcast(gr, gr.where(c, 0, g), y.shape)),
    ];
  },
  Gemm: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const ta = n.attrs.transA === 1;
    const tb = n.attrs.transB === 1;
    // Y = op(A) op(B): d op(A) = G op(B)^T, d op(B) = op(A)^T G.
    return [
      when(need[0], () => (ta ? gr.matMul(b, g, tb, true) : gr.matMul(g, b, false, !tb))),
      when(need[1], () => (tb ? gr.matMul(g, a, true, ta) : gr.matMul(a, g, !ta, false))),
    ];
  },
  ReduceSum: (gr, n, g) => {
    const x = n.inputs[0]!;
    const axes = Array.from(gr.constantValues(n.inputs[1]!) as BigInt64Array, Number);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const g2 = sameShape(g.shape, kept) ? g : gr.reshape(g, kept);
    return [gr.expand(g2, x.shape), null];
  },
  GreaterOrEqual: () => [null, null],
  Equal: () => [null, null],
  Cast: () => [null],
  Max: (gr, n, g, need) => {
    const [a, b] = n.inputs as [Sym, Sym];
    const first = gr.greaterOrEqual(a, b);
    return [
      when(need[0], () => unbroadcast(gr, gr.where(first, g, 0), a.shape)),
      when(need[1], () => unbroadcast(gr, gr.where(first, 0, g), b.shape)),
    ];
  },
  ReduceMax: (gr, n, g) => [extremeGradient(gr, n, g)],
  ReduceMin: (gr, n, g) => [extremeGradient(gr, n, g)],
  Concat: (gr, n, g, need) => {
    const axis = n.attrs.axis as number;
    let start = 0;
    return n.inputs.map((x, k) => {
      const from = start;
      start += x.shape[axis]!;
      return when(need[k], () => gr.slice(g, axis, from, start));
    });
  },
  Slice: (gr, n, g) => {
    const x = n.inputs[0]!;
    const [start] = gr.constantValues(n.inputs[1]!) as BigInt64Array;
    const [axis] = gr.constantValues(n.inputs[3]!) as BigInt64Array;
    const a = Number(axis);
    const before = x.shape.map((_, i) => (i === a ? Number(start) : 0));
    const after = x.shape.map((d, i) => (i === a ? d - Number(start) - g.shape[i]! : 0));
    return [gr.pad(g, before, after), null, null, null];
  },
  Pad: (gr, n, g) => {
    const x = n.inputs[0]!;
    const pads = Array.from(gr.constantValues(n.inputs[1]!) as BigInt64Array, Number);
    let out = g;
    x.shape.forEach((d, i) => {
      if (pads[i] !== 0 || pads[i + x.shape.length] !== 0)
        out = gr.slice(out, i, pads[i]!, pads[i]! + d);
    });
    return [out, null];
  },
  Alias: (_gr, _n, g) => [null, g],
  Reshape: (gr, n, g) => [gr.reshape(g, n.inputs[0]!.shape), null],
  Expand: (gr, n, g) => [unbroadcast(gr, g, n.inputs[0]!.shape), null],
  LogSoftmax: (gr, n, g) => [gr.sub(g, gr.mul(gr.exp(n.outputs[0]!), gr.reduceSum(g, [-1], true)))],
};

/**
 * Reverse-mode gradients of the scalar `y` with respect to each of `wrt`, built as new nodes of
 * the same graph, so they can be differentiated again (the gradient penalty's double backprop).
 * Only values on a path from `wrt` to `y` are differentiated; a `wrt` that `y` does not depend
 * on gets a zero gradient. Piecewise-constant functions (`Sign`, `Greater`, the slopes of ReLU
 * and leaky ReLU) have zero derivative, as in TensorFlow.js and PyTorch.
 *
 * @throws OnnxError when `y` is not a float scalar or a node on the path has no gradient rule.
 */
export function gradients(graph: Graph, y: Sym, wrt: readonly Sym[]): Sym[] {
  if (y.shape.length !== 0 || y.dtype !== 'float32') {
    throw new OnnxError(
      `gradients: y must be a float32 scalar, got [${y.shape.join(', ')}] ${y.dtype}`,
    );
  }
  const end = graph.nodes.length;
  const fromWrt = new Set(wrt.map((s) => s.id));
  for (let i = 0; i < end; i++) {
    const node = graph.nodes[i]!;
    if (node.inputs.some((x) => x.dtype === 'float32' && fromWrt.has(x.id))) {
      for (const o of node.outputs) if (o.dtype === 'float32') fromWrt.add(o.id);
    }
  }
  const grads = new Map<number, Sym>([[y.id, graph.scalar(1)]]);
  for (let i = end - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    const out = node.outputs[0]!;
    const g = grads.get(out.id);
    if (!g || !fromWrt.has(out.id)) continue;
    const rule = RULES[node.op];
    if (!rule) throw new OnnxError(`gradients: no gradient rule for ${node.op}`);
    const need = node.inputs.map((x) => fromWrt.has(x.id));
    const inputGrads = rule(graph, node, g, need);
    node.inputs.forEach((x, k) => {
      const gx = inputGrads[k];
      if (!gx || !fromWrt.has(x.id)) return;
      const prev = grads.get(x.id);
      grads.set(x.id, prev ? graph.add(prev, gx) : gx);
    });
  }
  return wrt.map(
    (w) =>
      grads.get(w.id) ??
      graph.constant(new Float32Array(w.shape.reduce((a, b) => a * b, 1)), w.shape),
  );
}
