import type { ActivationName } from '@zs-sbir/core';
import type { Graph, Sym } from '@zs-sbir/graph';
import { graphOps } from '@zs-sbir/graph';
import { type MlpForwardOptions, mlpForward } from '@zs-sbir/semantic';

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

/** The first layer's pre-activation `x W_0 + b_0`. */
export const firstLayerOf = (g: Graph, weights: readonly Sym[], x: Sym): Sym =>
  g.add(g.matMul(x, weights[0]!), weights[1]!);

/** Options of {@link applyMlp}. */
export type ApplyMlpOptions = MlpForwardOptions<Sym>;

/** The MLP's forward pass, `@zs-sbir/semantic`'s `mlpForward` on the graph. */
export const applyMlp = (
  g: Graph,
  layout: MlpLayout,
  weights: readonly Sym[],
  x: Sym,
  options: ApplyMlpOptions = {},
): Sym => mlpForward(graphOps(g), layout, weights, x, options);

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
