import type { tf } from '@zs-sbir/core';
import { Graph, type Sym, toOnnxModel } from '@zs-sbir/graph';
import { BackboneError } from './backbone-error.js';
import { Clip, Conv, Flatten, GlobalAveragePool, Transpose } from './onnx-inference-ops.js';

/** One node of a TF.js graph-model topology (a `GraphDef` in JSON). */
interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<
    string,
    { s?: string; i?: string | number; list?: { i?: (string | number)[]; s?: string[] } }
  >;
}

/** Options of {@link graphModelToOnnx}. */
export interface GraphModelOnnxOptions {
  /** Where the model comes from, for messages. */
  label: string;
  /** Full name of the image input (the `[batch, h, w, 3]` Placeholder). */
  input: string;
  /** Full names of the nodes read: each global-average pooled, then concatenated in order. */
  nodes: readonly string[];
  /** Input height and width the model is written for (SAME padding depends on it). */
  inputSize: number;
}

/** The TF.js operations the converter writes as ONNX nodes. */
export const CONVERTED_OPS = [
  'Placeholder',
  'Const',
  'Identity',
  'Conv2D',
  '_FusedConv2D',
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2dNative',
  'BiasAdd',
  'Add',
  'AddV2',
  'Sub',
  'Mul',
  'Relu',
  'Relu6',
] as const;

const decode = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');
const ints = (v: { list?: { i?: (string | number)[] } } | undefined) =>
  (v?.list?.i ?? []).map(Number);
/** A node input reference (`name`, `name:0`) as the node's name; null for `^control` inputs. */
const refName = (ref: string) => (ref.startsWith('^') ? null : ref.replace(/:\d+$/, ''));

/**
 * Pads of TensorFlow's SAME padding along one axis: the output has `ceil(size / stride)` cells,
 * the padding the window needs is split with the smaller half before (as TensorFlow does).
 */
export function samePads(size: number, kernel: number, stride: number, dilation: number) {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before] as const;
}

/**
 * Converts the part of a TensorFlow.js graph model (NHWC) that the chosen nodes depend on into an
 * ONNX model (NCHW inside) for ONNX Runtime: input `input [batch, size, size, 3]` (NHWC, as TF.js
 * takes it; transposed inside), output `features [batch, dim]`: each node's output
 * global-average pooled (a `[batch, c]` output passes), concatenated in the order given. The
 * batch dimension is symbolic.
 *
 * Convolutions (`Conv2D`, `_FusedConv2D` with `BiasAdd` and `Relu` / `Relu6` fused,
 * `DepthwiseConv2dNative`, `FusedDepthwiseConv2dNative`) become `Conv` (depthwise: `group` =
 * channels) with TensorFlow's SAME padding turned into explicit, possibly asymmetric pads for
 * this input size, then `Relu` or `Clip(0, 6)`; `Add` / `AddV2` / `Sub` / `Mul` with a scalar or
 * per-channel constant, `BiasAdd`, `Relu`, `Relu6` and `Identity` map one to one.
 *
 * @param weights - the graph's constants by name, dequantised (a loaded `tf.GraphModel`'s
 *   `weights`).
 * @throws {BackboneError} naming the node and its operation when the nodes depend on an
 *   operation (or a variant: NCHW data, another fused op) not in {@link CONVERTED_OPS}.
 */
export function graphModelToOnnx(
  topology: unknown,
  weights: Readonly<Record<string, readonly tf.Tensor[]>>,
  options: GraphModelOnnxOptions,
): Uint8Array {
  const { label, inputSize } = options;
  const byName = new Map<string, TfNode>();
  for (const n of (topology as { node?: TfNode[] }).node ?? []) byName.set(n.name, n);
  const g = new Graph();
  const image = g.input('input', [1, inputSize, inputSize, 3]);
  const values = new Map<string, Sym>();
  values.set(options.input, g.node(Transpose, [image], { perm: [0, 3, 1, 2] }));

  const unsupported = (n: TfNode, what = `operation ${n.op}`) =>
    new BackboneError(
      `${label}: node '${n.name}' is ${what}, which the ONNX conversion does not support (it converts ${CONVERTED_OPS.join(', ')}); use engine 'tfjs'`,
    );
  const constValues = (name: string): { data: Float32Array; shape: number[] } | null => {
    const t = weights[name]?.[0];
    if (!t) return null;
    if (t.dtype !== 'float32') {
      throw new BackboneError(`${label}: constant '${name}' is ${t.dtype}, expected float32`);
    }
    return { data: t.dataSync() as Float32Array, shape: [...t.shape] };
  };
  const inputsOf = (n: TfNode) => (n.input ?? []).map(refName).filter((r): r is string => !!r);

  /** A constant operand of an elementwise op, shaped to broadcast over NCHW values. */
  const operand = (n: TfNode, name: string): Sym => {
    const c = constValues(name);
    if (!c) return value(name);
    if (c.data.length === 1) return g.constant(Float32Array.of(c.data[0]!), []);
    if (c.shape.length === 1) return g.constant(c.data, [c.shape[0]!, 1, 1]);
    throw unsupported(n, `an elementwise ${n.op} with a constant of shape [${c.shape.join(', ')}]`);
  };
  const activation = (n: TfNode, x: Sym, kind: string): Sym => {
    if (kind === 'Relu') return g.relu(x);
    if (kind === 'Relu6') return g.node(Clip, [x, g.scalar(0), g.scalar(6)]);
    throw unsupported(n, `a ${n.op} with fused ${kind}`);
  };

  const conv = (n: TfNode): Sym => {
    const [xName, wName, bName] = inputsOf(n);
    const x = value(xName!);
    const filter = constValues(wName!);
    if (filter?.shape.length !== 4)
      throw unsupported(n, `a ${n.op} whose filter is not a constant`);
    const attr = n.attr ?? {};
    const format = decode(attr.data_format?.s) || 'NHWC';
    if (format !== 'NHWC') throw unsupported(n, `a ${n.op} on ${format} data`);
    const fused = (attr.fused_ops?.list?.s ?? []).map(decode);
    const depthwise = n.op.includes('Depthwise');
    const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
    const m = depthwise ? cin * cout : cout;
    // TF [kh, kw, cin, cout] (depthwise: [kh, kw, c, multiplier]) to ONNX [m, cin / group, kh, kw].
    const w = new Float32Array(filter.data.length);
    for (let y = 0; y < kh; y++) {
      for (let xk = 0; xk < kw; xk++) {
        for (let i = 0; i < cin; i++) {
          for (let o = 0; o < cout; o++) {
            const from = ((y * kw + xk) * cin + i) * cout + o;
            const to = depthwise
              ? ((i * cout + o) * kh + y) * kw + xk
              : ((o * cin + i) * kh + y) * kw + xk;
            w[to] = filter.data[from]!;
          }
        }
      }
    }
    let bias: Float32Array = new Float32Array(m);
    let rest = fused;
    if (fused[0] === 'BiasAdd') {
      const b = bName ? constValues(bName) : null;
      if (!b || b.data.length !== m)
        throw unsupported(n, `a ${n.op} whose bias is not a [${m}] constant`);
      bias = b.data;
      rest = fused.slice(1);
    }
    if (rest.length > 1 || (fused.length > 0 && fused[0] !== 'BiasAdd')) {
      throw unsupported(n, `a ${n.op} with fused ${fused.join(', ')}`);
    }
    const strides = ints(attr.strides);
    const dilations = ints(attr.dilations);
    const [sh, sw] = strides.length === 4 ? [strides[1]!, strides[2]!] : [1, 1];
    const [dh, dw] = dilations.length === 4 ? [dilations[1]!, dilations[2]!] : [1, 1];
    const padding = decode(attr.padding?.s);
    let pads: number[];
    if (padding === 'SAME') {
      const [t, b] = samePads(x.shape[2]!, kh, sh, dh);
      const [l, r] = samePads(x.shape[3]!, kw, sw, dw);
      pads = [t, l, b, r];
    } else if (padding === 'VALID') {
      pads = [0, 0, 0, 0];
    } else if (padding === 'EXPLICIT') {
      const e = ints(attr.explicit_paddings); // NHWC: [0, 0, top, bottom, left, right, 0, 0]
      pads = [e[2] ?? 0, e[4] ?? 0, e[3] ?? 0, e[5] ?? 0];
    } else {
      throw unsupported(n, `a ${n.op} with padding '${padding}'`);
    }
    const y = g.node(
      Conv,
      [x, g.constant(w, [m, depthwise ? 1 : cin, kh, kw]), g.constant(bias, [m])],
      { dilations: [dh, dw], group: depthwise ? cin : 1, pads, strides: [sh, sw] },
    );
    return rest.length ? activation(n, y, rest[0]!) : y;
  };

  const convert = (n: TfNode): Sym => {
    const inputs = inputsOf(n);
    switch (n.op) {
      case 'Identity':
        return value(inputs[0]!);
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative':
        return conv(n);
      case 'Relu':
      case 'Relu6':
        return activation(n, value(inputs[0]!), n.op);
      case 'BiasAdd':
      case 'Add':
      case 'AddV2':
      case 'Sub':
      case 'Mul': {
        const [a, b] = [operand(n, inputs[0]!), operand(n, inputs[1]!)];
        if (a.kind === 'constant' && b.kind === 'constant')
          throw unsupported(n, `a ${n.op} of two constants`);
        return n.op === 'Sub' ? g.sub(a, b) : n.op === 'Mul' ? g.mul(a, b) : g.add(a, b);
      }
      default:
        throw unsupported(n);
    }
  };
  function value(name: string): Sym {
    const known = values.get(name);
    if (known) return known;
    const n = byName.get(name);
    if (!n) throw new BackboneError(`${label}: the graph has no node '${name}'`);
    if (n.op === 'Placeholder') {
      throw new BackboneError(
        `${label}: node '${name}' is a second input (Placeholder); the ONNX conversion takes one image input`,
      );
    }
    const v = convert(n);
    values.set(name, v);
    return v;
  }

  const pooled = options.nodes.map((name) => {
    const v = value(name);
    if (v.shape.length === 2) return v;
    return g.node(Flatten, [g.node(GlobalAveragePool, [v])], { axis: 1 });
  });
  g.output('features', pooled.length > 1 ? g.concat(pooled, 1) : pooled[0]!);
  return toOnnxModel(g, { batchDim: 'batch' });
}
