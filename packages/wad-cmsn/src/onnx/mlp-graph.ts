import type { ActivationName } from '@zs-sbir/core';
import type { Graph, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';

/** What the graph needs of a semantic MLP's config (`createMlp` and the modules built on it). */
export interface MlpLayout {
  inputDim: number;
  outputDim: number;
  hiddenDims: readonly number[];
  activation: ActivationName;
  leakySlope: number;
  dropout: number;
}

/** Declares an MLP's weights as graph inputs `${prefix}/0, ${prefix}/1, ...` (`W_i` `[in, out]`, `b_i`). */
export function mlpWeights(g: Graph, layout: MlpLayout, prefix: string): Sym[] {
  const dims = [layout.inputDim, ...layout.hiddenDims, layout.outputDim];
  const out: Sym[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    out.push(g.input(`${prefix}/${2 * i}`, [dims[i]!, dims[i + 1]!]));
    out.push(g.input(`${prefix}/${2 * i + 1}`, [dims[i + 1]!]));
  }
  return out;
}

function activate(g: Graph, layout: MlpLayout, h: Sym): Sym {
  switch (layout.activation) {
    case 'relu':
      return g.relu(h);
    case 'leaky-relu':
      return g.leakyRelu(h, layout.leakySlope);
    case 'softplus':
      return g.softplus(h);
    case 'linear':
      return h;
    default:
      throw new OnnxError(`the onnx engine has no activation '${String(layout.activation)}'`);
  }
}

/** The first layer's pre-activation `x W_0 + b_0`. */
export const firstLayerOf = (g: Graph, weights: readonly Sym[], x: Sym): Sym =>
  g.add(g.matMul(x, weights[0]!), weights[1]!);

/** Options of {@link applyMlp}. */
export interface ApplyMlpOptions {
  /** Dropout masks of the hidden layers (training), from {@link mlpMasks}. */
  masks?: readonly Sym[];
  /** The first layer's pre-activation when it is already at hand (see {@link firstLayerOf}). */
  firstLayer?: Sym;
}

/**
 * The MLP's forward pass as `@zs-sbir/semantic` computes it: `h = act(h W_i + b_i)`, times the
 * dropout mask of that hidden layer when `masks` are given, and a linear output layer.
 */
export function applyMlp(
  g: Graph,
  layout: MlpLayout,
  weights: readonly Sym[],
  x: Sym,
  { masks, firstLayer }: ApplyMlpOptions = {},
): Sym {
  const layers = weights.length / 2;
  let h = x;
  for (let i = 0; i < layers; i++) {
    h =
      i === 0 && firstLayer ? firstLayer : g.add(g.matMul(h, weights[2 * i]!), weights[2 * i + 1]!);
    if (i === layers - 1) break;
    h = activate(g, layout, h);
    if (masks) h = g.mul(h, masks[i]!);
  }
  return h;
}

/** Whether the MLP draws dropout masks in training. */
export const dropsOut = (layout: MlpLayout) => layout.dropout > 0 && layout.hiddenDims.length > 0;

/** Declares the training-mode dropout masks of an MLP (`[rows, width]` per hidden layer), if any. */
export function mlpMasks(
  g: Graph,
  layout: MlpLayout,
  rows: number,
  prefix: string,
): Sym[] | undefined {
  if (!dropsOut(layout)) return undefined;
  return layout.hiddenDims.map((w, i) => g.input(`${prefix}/${i}`, [rows, w]));
}
