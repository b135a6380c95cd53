import type { ActivationName } from '@zs-sbir/core';
import {
  assertKnownOptions,
  buildMlp,
  expectInteger,
  type Mlp,
  resolveMlpOptions,
  type WeightInit,
} from '@zs-sbir/semantic';
import { CriticError } from './errors.js';

/** Options of {@link createCritic}. */
export interface CriticOptions {
  /** Width of the critic's input (the semantic subspace width `d`). */
  inputDim: number;
  /** Hidden widths; default `[d/2, d/2]` (rounded, at least 1). */
  hiddenDims?: number[];
  /**
   * Hidden activation; default `'leaky-relu'`. Only core's activations are accepted: their second
   * derivatives are exact, which the gradient penalty needs (tanh, sigmoid and GELU are silently
   * wrong under double backprop in TensorFlow.js).
   */
  activation?: ActivationName;
  /** Negative-side slope of `'leaky-relu'`; default 0.2. */
  leakySlope?: number;
  /** Weight initialisation; default `'glorot-uniform'`. */
  init?: WeightInit;
  /** Seed of the weight initialisation (required). */
  seed: number | string;
}

/** The option names {@link createCritic} accepts. */
export const CRITIC_OPTION_NAMES: readonly (keyof CriticOptions)[] = [
  'inputDim',
  'hiddenDims',
  'activation',
  'leakySlope',
  'init',
  'seed',
];

/**
 * A critic `C`: `apply(x)` maps `[batch, inputDim]` to scores `[batch, 1]`; no sigmoid, no batch
 * norm (a per-sample function, as the gradient penalty assumes). `trainableVariables` are
 * `[W1, b1, W2, b2, ..., Wout, bout]`, each `W` shaped `[in, out]`.
 */
export type Critic = Mlp<'critic'>;

/**
 * Builds a Wasserstein critic: an MLP `d -> d/2 -> d/2 -> 1` with leaky ReLU (slope 0.2), no
 * sigmoid, no batch normalisation, no dropout, following WGAN-GP (Gulrajani et al., NeurIPS 2017),
 * which drops batch norm from the critic because the penalty is per sample.
 *
 * @throws CriticError naming the option that is wrong (unknown names list the valid ones).
 */
export function createCritic(options: CriticOptions): Critic {
  assertKnownOptions('createCritic', options, CRITIC_OPTION_NAMES, CriticError);
  const d = expectInteger('createCritic', 'inputDim', options.inputDim, CriticError);
  const half = Math.max(1, Math.round(d / 2));
  return buildMlp(
    resolveMlpOptions(
      'createCritic',
      'critic',
      { ...options, hiddenDims: options.hiddenDims ?? [half, half], outputDim: 1, dropout: 0 },
      { error: CriticError },
    ),
    CriticError,
  );
}
