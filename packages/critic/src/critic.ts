import { type ActivationName, integerSchema, validate } from '@zs-sbir/core';
import {
  buildMlp,
  MLP_OPTIONS,
  type Mlp,
  resolveMlpOptions,
  type WeightInit,
} from '@zs-sbir/semantic';
import * as v from 'valibot';
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

const MLP = MLP_OPTIONS.entries;

/** The schema (valibot) of {@link CriticOptions}: the MLP's options but output width and dropout. */
export const CRITIC_OPTIONS = v.strictObject({
  inputDim: MLP.inputDim,
  hiddenDims: v.optional(v.array(integerSchema())),
  activation: MLP.activation,
  leakySlope: MLP.leakySlope,
  init: MLP.init,
  seed: MLP.seed,
});

/** The option names {@link createCritic} accepts. */
export const CRITIC_OPTION_NAMES = Object.keys(
  CRITIC_OPTIONS.entries,
) as readonly (keyof CriticOptions)[];

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
  const o = validate(CRITIC_OPTIONS, options, { where: 'createCritic', error: CriticError });
  const half = Math.max(1, Math.round(o.inputDim / 2));
  return buildMlp(
    resolveMlpOptions(
      'createCritic',
      'critic',
      { ...o, hiddenDims: o.hiddenDims ?? [half, half], outputDim: 1, dropout: 0 },
      { error: CriticError },
    ),
    CriticError,
  );
}
