import type { Graph, Shape, Sym } from '../graph.js';
import type { ShapeRule } from './op-definition.js';

/** Shape-rule building blocks shared by the operation definitions. */

/** `[2, 3]`: a shape as the error messages write it. */
export const shapeText = (shape: Shape) => `[${shape.join(', ')}]`;

/** The numpy broadcast of two shapes; throws naming both when they do not broadcast. */
export function broadcast(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`shapes ${shapeText(a)} and ${shapeText(b)} do not broadcast`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The output has the shape of the (only) input. */
export const sameAsInput: ShapeRule = (inputs) => inputs[0]!.shape;

/** The numpy broadcast of every input; the message lists them all when they do not broadcast. */
export const broadcastInputs: ShapeRule = (inputs) => {
  try {
    return inputs.slice(1).reduce((s, x) => broadcast(s, x.shape), inputs[0]!.shape);
  } catch {
    const shapes = inputs.map((x) => shapeText(x.shape));
    throw new Error(
      `shapes ${shapes.slice(0, -1).join(', ')} and ${shapes.at(-1)} do not broadcast`,
    );
  }
};

/** The values of an int64 constant input (axes, a target shape, slice bounds, pads). */
export function intsOf(graph: Graph, sym: Sym, what: string): number[] {
  if (sym.kind !== 'constant' || sym.dtype !== 'int64') {
    throw new Error(`the ${what} must be an int64 constant, got ${sym.kind} '${sym.name}'`);
  }
  return Array.from(graph.constantValues(sym) as BigInt64Array, Number);
}

/** Throws unless `axis` is an axis of `shape` (0 to rank - 1). */
export function checkAxis(axis: number, shape: Shape, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
    throw new Error(
      `${what} ${axis} is not an axis of ${shapeText(shape)} (0 to ${shape.length - 1})`,
    );
  }
  return axis;
}

/** `shape` without the `axes` (or with them as 1 when `keepDims`). */
export const reduced = (shape: Shape, axes: readonly number[], keepDims: boolean): Shape =>
  shape.flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
