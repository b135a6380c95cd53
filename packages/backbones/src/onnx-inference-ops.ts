import type { GradientRule, OpDefinition, Shape } from '@zs-sbir/graph';
import { BackboneError } from './backbone-error.js';

/**
 * The ONNX operations a converted TensorFlow.js graph model needs beyond those of
 * `@zs-sbir/graph` (`Add`, `Mul`, `Sub`, `Relu`, `Concat`), as `@zs-sbir/graph` operation
 * definitions: each one's ONNX form, attributes and shape rule. They are inference-only (frozen
 * encoders): asking for a gradient through one throws.
 */

const text = (shape: Shape) => `[${shape.join(', ')}]`;

const noGradient =
  (type: string): GradientRule =>
  () => {
    throw new BackboneError(
      `${type} (@zs-sbir/backbones' ONNX conversion) is inference-only: it has no gradient rule`,
    );
  };

function rank4(x: Shape, what: string): [number, number, number, number] {
  if (x.length !== 4) throw new Error(`${what} must be 4-d, got ${text(x)}`);
  return x as [number, number, number, number];
}

/** Permutes the axes: output axis `i` is input axis `perm[i]`. */
export const Transpose: OpDefinition = {
  type: 'Transpose',
  attributes: ['perm'],
  arity: 1,
  shape: ([x], attrs) => {
    const perm = attrs.perm as number[];
    const sorted = [...perm].sort((a, b) => a - b);
    if (sorted.length !== x!.shape.length || sorted.some((p, i) => p !== i)) {
      throw new Error(
        `perm [${perm.join(', ')}] is not a permutation of the axes of ${text(x!.shape)}`,
      );
    }
    return perm.map((p) => x!.shape[p]!);
  },
  gradient: noGradient('Transpose'),
};

/**
 * 2-d convolution, NCHW: inputs `x [n, c, h, w]`, `w [m, c / group, kh, kw]`, `b [m]`;
 * attributes `strides`, `dilations` (2 each), `pads` (`[top, left, bottom, right]`), `group`.
 */
export const Conv: OpDefinition = {
  type: 'Conv',
  attributes: ['dilations', 'group', 'pads', 'strides'],
  arity: 3,
  shape: ([x, w, b], attrs) => {
    const [n, c, h, width] = rank4(x!.shape, 'the input');
    const [m, perGroup, kh, kw] = rank4(w!.shape, 'the filter');
    const group = attrs.group as number;
    const [sh, sw] = attrs.strides as number[];
    const [dh, dw] = attrs.dilations as number[];
    const [pt, pl, pb, pr] = attrs.pads as number[];
    if (perGroup * group !== c || m % group !== 0) {
      throw new Error(
        `filter ${text(w!.shape)} with group ${group} does not fit input ${text(x!.shape)} (${c} channels)`,
      );
    }
    if (b!.shape.length !== 1 || b!.shape[0] !== m) {
      throw new Error(`bias ${text(b!.shape)} must be [${m}] for filter ${text(w!.shape)}`);
    }
    const out = (size: number, before: number, after: number, k: number, s: number, d: number) =>
      Math.floor((size + before + after - ((k - 1) * d + 1)) / s) + 1;
    const oh = out(h, pt!, pb!, kh, sh!, dh!);
    const ow = out(width, pl!, pr!, kw, sw!, dw!);
    if (oh < 1 || ow < 1) {
      throw new Error(`input ${text(x!.shape)} is smaller than filter ${text(w!.shape)}`);
    }
    return [n, m, oh, ow];
  },
  gradient: noGradient('Conv'),
};

/** `min(max(x, lo), hi)` with scalar `lo` and `hi` inputs (ReLU6 is `Clip(x, 0, 6)`). */
export const Clip: OpDefinition = {
  type: 'Clip',
  attributes: [],
  arity: 3,
  shape: ([x, lo, hi]) => {
    if (lo!.shape.length !== 0 || hi!.shape.length !== 0) {
      throw new Error(`bounds must be scalars, got ${text(lo!.shape)} and ${text(hi!.shape)}`);
    }
    return x!.shape;
  },
  gradient: noGradient('Clip'),
};

/** The mean over the spatial cells: `[n, c, h, w]` to `[n, c, 1, 1]`. */
export const GlobalAveragePool: OpDefinition = {
  type: 'GlobalAveragePool',
  attributes: [],
  arity: 1,
  shape: ([x]) => {
    const [n, c] = rank4(x!.shape, 'the input');
    return [n, c, 1, 1];
  },
  gradient: noGradient('GlobalAveragePool'),
};

/** `[d0, ..., dk, ...]` to `[d0 * ... * d(axis-1), the rest multiplied]`. */
export const Flatten: OpDefinition = {
  type: 'Flatten',
  attributes: ['axis'],
  arity: 1,
  shape: ([x], attrs) => {
    const axis = attrs.axis as number;
    const shape = x!.shape;
    if (!Number.isInteger(axis) || axis < 0 || axis > shape.length) {
      throw new Error(`axis ${axis} is not in 0 to ${shape.length} for ${text(shape)}`);
    }
    const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);
    return [prod(shape.slice(0, axis)), prod(shape.slice(axis))];
  },
  gradient: noGradient('Flatten'),
};
