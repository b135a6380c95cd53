import { integerSchema, type Rng, tf, validate } from '@zs-sbir/core';
import * as v from 'valibot';
import type { Critic } from './critic.js';
import { type Discriminator, withObjective } from './discriminator.js';
import { CriticError } from './errors.js';

const N_CRITIC = v.object({ nCritic: v.optional(integerSchema(), 5) });

/** Options of {@link criticStep}. */
export interface CriticStepOptions {
  /**
   * The critic to train, with its objective; a bare {@link Critic} is trained as `wgan-gp` with
   * `lambda = 10`.
   */
  discriminator: Discriminator | Critic;
  /**
   * Updates the critic's variables, e.g. `tf.train.adam(1e-4, 0.5, 0.9)` (WGAN-GP's settings).
   * Give each critic its own optimiser: Adam's bias correction counts its updates.
   */
  optimizer: tf.Optimizer;
  /** "Real" samples `[batch, d]` (treated as constants). */
  real: tf.Tensor2D;
  /** "Fake" samples `[batch, d]` (treated as constants). */
  fake: tf.Tensor2D;
  /** Critic updates in this step, `n_critic`; default 5 (Gulrajani et al. 2017). */
  nCritic?: number;
  /** Draws the gradient penalty's interpolation weights reproducibly; default `tf.randomUniform`. */
  rng?: Rng;
  /**
   * The penalty's interpolation weights of each update (`nCritic` of them, each `[batch]` or
   * `[batch, 1]`), drawn beforehand; default (or an undefined entry): drawn at that update
   * (from `rng` when given).
   */
  epsilons?: readonly (tf.Tensor | ArrayLike<number> | undefined)[];
}

/** What a {@link criticStep} did, read back as numbers. */
export interface CriticStepResult {
  /** The critic's loss at each update (before that update's change). */
  losses: number[];
  /** The gradient penalty at each update. */
  penalties: number[];
  /** `mean C(real) - mean C(fake)` at each update: the Wasserstein-1 estimate for `wgan-*`. */
  wassersteins: number[];
  /** The last update's loss. */
  loss: number;
  /** The last update's penalty. */
  penalty: number;
  /** The last update's Wasserstein estimate. */
  wasserstein: number;
}

/**
 * Runs `nCritic` updates of a critic on one batch: each draws fresh interpolation weights for the
 * penalty, takes the gradient of the critic-side loss with respect to the critic's variables only,
 * applies it with `optimizer`, then applies the objective's constraint (weight clipping for
 * `wgan-clip`). The per-update scalars are read back in one transfer at the end.
 *
 * Where the critic sits decides what `real` and `fake` are: see `criticPairs`.
 *
 * @throws CriticError when `nCritic` is not a positive integer, or `epsilons` does not hold
 *   `nCritic` entries.
 */
export function criticStep(options: CriticStepOptions): CriticStepResult {
  const { optimizer, real, fake, rng, epsilons } = options;
  const { nCritic } = validate(N_CRITIC, options, { where: 'criticStep', error: CriticError });
  if (epsilons !== undefined && epsilons.length !== nCritic) {
    throw new CriticError(
      `criticStep: option 'epsilons' must hold one set of interpolation weights per update (${nCritic}), got ${epsilons.length}`,
    );
  }
  const d =
    'critic' in options.discriminator
      ? options.discriminator
      : withObjective(options.discriminator);
  const history: tf.Scalar[] = [];
  for (let i = 0; i < nCritic; i++) {
    const { value, grads } = tf.variableGrads(() => {
      const { loss, parts } = d.loss(real, fake, { rng, epsilon: epsilons?.[i] });
      history.push(tf.keep(parts.penalty), tf.keep(parts.wasserstein));
      return loss;
    }, d.trainableVariables);
    optimizer.applyGradients(grads);
    tf.dispose(grads);
    history.push(value);
    d.constrain();
  }
  const values = tf.tidy(() => tf.stack(history).dataSync());
  tf.dispose(history);
  const column = (k: number) => Array.from({ length: nCritic }, (_, i) => values[3 * i + k]!);
  const penalties = column(0);
  const wassersteins = column(1);
  const losses = column(2);
  return {
    losses,
    penalties,
    wassersteins,
    loss: losses[nCritic - 1]!,
    penalty: penalties[nCritic - 1]!,
    wasserstein: wassersteins[nCritic - 1]!,
  };
}
