import type { Graph, GraphNode, Shape, Sym } from '../graph.js';

/**
 * The vector-Jacobian product of one node: the gradient of each input given the output's
 * gradient `g`, built as nodes of `graph` only for the inputs `need` marks (null for the others).
 */
export type GradientRule = (
  graph: Graph,
  node: GraphNode,
  g: Sym,
  need: readonly boolean[],
) => (Sym | null)[];

/**
 * One operation: the ONNX operator it writes and its gradient. Every node of a {@link Graph} is
 * made from one, so an operation cannot exist without saying how it differentiates.
 */
export interface OpDefinition {
  /** The ONNX operator type written to the model (`Alias` is written as `Identity`). */
  readonly type: string;
  /**
   * The gradient rule, or `'zero'` for an operation whose derivative is zero wherever it exists
   * (comparisons, casts of booleans, `Sign`): its inputs get no gradient.
   */
  readonly gradient: GradientRule | 'zero';
}

export const sameShape = (a: Shape, b: Shape) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Sums a broadcast gradient `g` back down to `shape`. */
export function unbroadcast(graph: Graph, g: Sym, shape: Shape): Sym {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes = g.shape.flatMap((d, i) =>
    i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : [],
  );
  const summed = axes.length ? graph.reduceSum(g, axes, false) : g;
  return sameShape(summed.shape, shape) ? summed : graph.reshape(summed, shape);
}

/** `make()` when `needed`, else null: gradients nobody asked for are never built. */
export const when = (needed: boolean | undefined, make: () => Sym): Sym | null =>
  needed ? make() : null;
