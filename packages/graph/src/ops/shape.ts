import { type OpDefinition, sameShape, unbroadcast, when } from './op-definition.js';
import { broadcast, checkAxis, intsOf, shapeText } from './shape-rules.js';

/**
 * Operations that move elements (reshape, broadcast, join, cut, pad) and `Alias`, with their
 * shape rules and gradients.
 */

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export const Reshape: OpDefinition = {
  type: 'Reshape',
  attributes: [],
  arity: 2,
  inputTypes: ['float32', 'int64'],
  shape: ([x, target], _attrs, gr) => {
    const shape = intsOf(gr, target!, 'shape input');
    if (size(shape) !== size(x!.shape)) {
      throw new Error(
        `${shapeText(x!.shape)} has ${size(x!.shape)} elements, ${shapeText(shape)} needs ${size(shape)}`,
      );
    }
    return shape;
  },
  gradient: (gr, n, g) => [gr.reshape(g, n.inputs[0]!.shape), null],
};
export const Expand: OpDefinition = {
  type: 'Expand',
  attributes: [],
  arity: 2,
  inputTypes: ['float32', 'int64'],
  shape: ([x, target], _attrs, gr) => broadcast(x!.shape, intsOf(gr, target!, 'shape input')),
  gradient: (gr, n, g) => [unbroadcast(gr, g, n.inputs[0]!.shape), null],
};
export const Concat: OpDefinition = {
  type: 'Concat',
  attributes: ['axis'],
  arity: 'variadic',
  shape: (xs, attrs) => {
    const first = xs[0]!.shape;
    const axis = checkAxis(attrs.axis as number, first);
    const fits = xs.every(
      (x) =>
        x.shape.length === first.length && x.shape.every((d, i) => i === axis || d === first[i]),
    );
    if (!fits) {
      throw new Error(
        `shapes ${xs.map((x) => shapeText(x.shape)).join(', ')} differ beyond axis ${axis}`,
      );
    }
    return first.map((d, i) => (i === axis ? xs.reduce((n, x) => n + x.shape[axis]!, 0) : d));
  },
  gradient: (gr, n, g, need) => {
    const axis = n.attrs.axis as number;
    let start = 0;
    return n.inputs.map((x, k) => {
      const from = start;
      start += x.shape[axis]!;
      return when(need[k], () => gr.slice(g, axis, from, start));
    });
  },
};
export const Slice: OpDefinition = {
  type: 'Slice',
  attributes: [],
  arity: 4,
  inputTypes: ['float32', 'int64', 'int64', 'int64'],
  shape: ([x, starts, ends, axes], _attrs, gr) => {
    const [start] = intsOf(gr, starts!, 'starts input');
    const [end] = intsOf(gr, ends!, 'ends input');
    const axis = checkAxis(intsOf(gr, axes!, 'axes input')[0]!, x!.shape);
    const d = x!.shape[axis]!;
    if (!(start! >= 0 && start! <= end! && end! <= d)) {
      throw new Error(
        `[${start}, ${end}) is not within 0 to ${d} on axis ${axis} of ${shapeText(x!.shape)}`,
      );
    }
    return x!.shape.map((n, i) => (i === axis ? end! - start! : n));
  },
  gradient: (gr, n, g) => {
    const x = n.inputs[0]!;
    const [start] = gr.constantValues(n.inputs[1]!) as BigInt64Array;
    const [axis] = gr.constantValues(n.inputs[3]!) as BigInt64Array;
    const a = Number(axis);
    const before = x.shape.map((_, i) => (i === a ? Number(start) : 0));
    const after = x.shape.map((d, i) => (i === a ? d - Number(start) - g.shape[i]! : 0));
    return [gr.pad(g, before, after), null, null, null];
  },
};
export const Pad: OpDefinition = {
  type: 'Pad',
  attributes: [],
  arity: 2,
  inputTypes: ['float32', 'int64'],
  shape: ([x, padsInput], _attrs, gr) => {
    const pads = intsOf(gr, padsInput!, 'pads input');
    const rank = x!.shape.length;
    if (pads.length !== 2 * rank || pads.some((p) => p < 0)) {
      throw new Error(
        `${shapeText(x!.shape)} needs ${2 * rank} non-negative pads (before, then after), got [${pads.join(', ')}]`,
      );
    }
    return x!.shape.map((d, i) => d + pads[i]! + pads[i + rank]!);
  },
  gradient: (gr, n, g) => {
    const x = n.inputs[0]!;
    const pads = Array.from(gr.constantValues(n.inputs[1]!) as BigInt64Array, Number);
    let out = g;
    x.shape.forEach((d, i) => {
      if (pads[i] !== 0 || pads[i + x.shape.length] !== 0) {
        out = gr.slice(out, i, pads[i]!, pads[i]! + d);
      }
    });
    return [out, null];
  },
};
/**
 * `value`, differentiated as `definition`: the model reads the value (an ONNX `Identity` of the
 * first input); the gradient goes to the second input only.
 */
export const Alias: OpDefinition = {
  type: 'Alias',
  onnx: { type: 'Identity', inputs: [0] },
  attributes: [],
  arity: 2,
  shape: ([value, definition]) => {
    if (!sameShape(value!.shape, definition!.shape)) {
      throw new Error(
        `the value ${shapeText(value!.shape)} and its definition ${shapeText(definition!.shape)} differ`,
      );
    }
    return value!.shape;
  },
  gradient: (_gr, _n, g) => [null, g],
};
