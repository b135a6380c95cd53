import type { ActivationName, Ops } from '@zs-sbir/core';

/** What {@link mlpForward} needs of an MLP's config ({@link MlpConfig} has it). */
export interface MlpLayout {
  readonly hiddenDims: readonly number[];
  readonly activation: ActivationName;
  readonly leakySlope: number;
}

/** Options of {@link mlpForward}. */
export interface MlpForwardOptions<T> {
  /** Dropout masks of the hidden layers, `[batch, hiddenDims[i]]` (see `dropoutMask`). */
  masks?: readonly T[];
  /** The first layer's pre-activation `x W1 + b1` when it is already at hand (not recomputed). */
  firstLayer?: T;
}

/**
 * An MLP's forward pass on any engine's operations (the one definition `createMlp`'s `apply`
 * and the ONNX Runtime engine both run): `h = act(h W_i + b_i)` for each hidden layer, times
 * that layer's dropout mask when `masks` are given, then a linear output layer.
 *
 * @param weights - `[W1, b1, ..., Wout, bout]`, each `W` `[in, out]` (read variables through
 *   `ops.variable`).
 */
export function mlpForward<T>(
  ops: Ops<T>,
  layout: MlpLayout,
  weights: readonly T[],
  x: T,
  { masks, firstLayer }: MlpForwardOptions<T> = {},
): T {
  const activations: Record<ActivationName, (h: T) => T> = {
    relu: (h) => ops.relu(h),
    'leaky-relu': (h) => ops.leakyRelu(h, layout.leakySlope),
    softplus: (h) => ops.softplus(h),
    linear: (h) => h,
  };
  const act = activations[layout.activation];
  const layers = weights.length / 2;
  let h = x;
  for (let i = 0; i < layers; i++) {
    h =
      i === 0 && firstLayer !== undefined
        ? firstLayer
        : ops.add(ops.matMul(h, weights[2 * i]!), weights[2 * i + 1]!);
    if (i === layers - 1) break;
    h = act(h);
    if (masks) h = ops.mul(h, masks[i]!);
  }
  return h;
}
