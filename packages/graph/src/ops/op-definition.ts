import type { AttributeValue, DType, Graph, GraphNode, Shape, Sym } from '../graph.js';

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
 * The output shape of a node from its inputs and attributes (`graph` reads the values of constant
 * inputs: axes, target shapes, slice bounds). It throws when the inputs do not fit, with a message
 * that gives the offending shapes; `Graph.node` prefixes the operation's type.
 */
export type ShapeRule = (
  inputs: readonly Sym[],
  attrs: Readonly<Record<string, AttributeValue>>,
  graph: Graph,
) => Shape;

/** How a node is written to the ONNX model when that is not as itself. */
export interface OnnxForm {
  /** The ONNX operator type written. */
  readonly type: string;
  /** The positions of the node's inputs the model reads (the others exist for the gradients). */
  readonly inputs: readonly number[];
}

/**
 * One operation: its name (the ONNX operator it writes, unless `onnx` says otherwise), the
 * attributes its nodes carry, its inputs, the type and shape of its output, and its gradient.
 * Every node of a {@link Graph} is made from one, so an operation cannot exist without saying
 * what shape it makes and how it differentiates.
 */
export interface OpDefinition {
  /** The operation's name, and the ONNX operator type written unless `onnx` is given. */
  readonly type: string;
  /** Its ONNX form when it is not written as itself (`Alias` is an `Identity` of its value). */
  readonly onnx?: OnnxForm;
  /** The names of the attributes every node carries (checked when a node is added). */
  readonly attributes: readonly string[];
  /** How many inputs a node takes, or `'variadic'` (one or more, `Concat`). */
  readonly arity: number | 'variadic';
  /** The element type of each input, by position; float32 where not given. */
  readonly inputTypes?: readonly DType[];
  /** The output element type; float32 unless said. */
  readonly dtype?: DType;
  /** The output shape (see {@link ShapeRule}). */
  readonly shape: ShapeRule;
  /**
   * The gradient rule, or `'zero'` for an operation whose derivative is zero wherever it exists
   * (comparisons, casts of booleans, `Sign`): its inputs get no gradient.
   */
  readonly gradient: GradientRule | 'zero';
}

/** The ONNX operator type and the inputs the model reads for `node`. */
export function onnxForm(node: GraphNode): { type: string; inputs: readonly Sym[] } {
  const form = node.definition.onnx;
  if (!form) return { type: node.definition.type, inputs: node.inputs };
  return { type: form.type, inputs: form.inputs.map((k) => node.inputs[k]!) };
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
