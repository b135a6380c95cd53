import type { Graph, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';

/**
 * Reverse-mode gradients of the scalar `y` with respect to each of `wrt`, built as new nodes of
 * the same graph, so they can be differentiated again (the gradient penalty's double backprop).
 * Only values on a path from `wrt` to `y` are differentiated; a `wrt` that `y` does not depend
 * on gets a zero gradient. Piecewise-constant functions (`Sign`, `Greater`, the slopes of ReLU
 * and leaky ReLU) have zero derivative, as in TensorFlow.js and PyTorch.
 *
 * @throws OnnxError when `y` is not a float32 scalar.
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
    const rule = node.definition.gradient;
    if (rule === 'zero') continue;
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
