import { type OpDefinition, unbroadcast, when } from './op-definition.js';

/** Operations that move elements (reshape, broadcast, join, cut, pad) and `Alias`. */

export const Reshape: OpDefinition = {
  type: 'Reshape',
  gradient: (gr, n, g) => [gr.reshape(g, n.inputs[0]!.shape), null],
};
export const Expand: OpDefinition = {
  type: 'Expand',
  gradient: (gr, n, g) => [unbroadcast(gr, g, n.inputs[0]!.shape), null],
};
export const Concat: OpDefinition = {
  type: 'Concat',
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
/** `value`, differentiated as `definition`: the gradient goes to the second input only. */
export const Alias: OpDefinition = { type: 'Alias', gradient: (_gr, _n, g) => [null, g] };
