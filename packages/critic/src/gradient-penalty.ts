import { numberSchema, type Ops, type Rng, tf, tfOps, validate } from '@zs-sbir/core';
import * as v from 'valibot';
import type { Critic } from './critic.js';
import { CriticError } from './errors.js';

const LAMBDA = v.object({ lambda: v.optional(numberSchema({ min: 0 }), 10) });

/** Options of {@link gradientPenalty}. */
export interface GradientPenaltyOptions {
  /** Penalty weight `lambda`; default 10 (Gulrajani et al. 2017). */
  lambda?: number;
  /**
   * Interpolation weights `epsilon`, `[batch, 1]` or `[batch]`, in `[0, 1]`. Default: drawn
   * uniformly per sample, from `rng` when given (reproducible), else from `tf.randomUniform`.
   */
  epsilon?: tf.Tensor | ArrayLike<number>;
  /** Draws `epsilon` when it is not given. */
  rng?: Rng;
  /**
   * One-sided penalty `max(0, ||grad|| - 1)^2` (WGAN-LP, Petzka et al., ICLR 2018) instead of the
   * two-sided `(||grad|| - 1)^2`; default false.
   */
  oneSided?: boolean;
}

/**
 * The gradient penalty's interpolation weights `[batch, 1]` for a pair of batches: `epsilon` as
 * given, or uniform draws (from `rng` when given).
 *
 * @throws CriticError when the batches' shapes differ or `epsilon` has the wrong size.
 */
export function interpolationWeights(
  real: tf.Tensor2D,
  fake: tf.Tensor2D,
  { epsilon, rng }: Pick<GradientPenaltyOptions, 'epsilon' | 'rng'>,
): tf.Tensor2D {
  if (real.shape.join() !== fake.shape.join()) {
    throw new CriticError(
      `gradientPenalty: real [${real.shape.join(', ')}] and fake [${fake.shape.join(', ')}] must have the same shape`,
    );
  }
  const batch = real.shape[0];
  if (epsilon === undefined) {
    return rng
      ? tf.tensor2d(
          rng.fill(batch, () => rng.next()),
          [batch, 1],
        )
      : tf.randomUniform([batch, 1]);
  }
  const t = epsilon instanceof tf.Tensor ? epsilon : tf.tensor(Array.from(epsilon));
  if (t.size !== batch) {
    throw new CriticError(
      `gradientPenalty: option 'epsilon' must hold one value per sample (${batch}), got shape [${t.shape.join(', ')}]`,
    );
  }
  return tf.reshape(t, [batch, 1]);
}

/**
 * The WGAN-GP gradient penalty (Gulrajani et al., "Improved Training of Wasserstein GANs",
 * NeurIPS 2017):
 *
 * `GP = lambda * mean_i (||grad_u C(u_i)||_2 - 1)^2`, `u_i = eps_i * real_i + (1 - eps_i) * fake_i`,
 * `eps_i ~ U[0, 1]`.
 *
 * Call it inside `tf.variableGrads` / `optimizer.minimize` to get its gradient with respect to
 * the critic's weights (double backprop: `tf.grad` inside the outer gradient). `real` and `fake`
 * are treated as constants. The norm is `sqrt(sum g^2 + 1e-12)`, finite at zero gradient.
 *
 * @param critic - any per-sample critic (`[batch, d]` -> `[batch, 1]`) built from core's
 *   activations.
 * @param real - `[batch, d]`, e.g. class prototypes.
 * @param fake - `[batch, d]`, e.g. projected visual features.
 * @returns a scalar tensor (the caller owns it).
 * @throws CriticError when the batches' shapes differ or `epsilon` has the wrong size.
 */
export function gradientPenalty(
  critic: Pick<Critic, 'apply'>,
  real: tf.Tensor2D,
  fake: tf.Tensor2D,
  options: GradientPenaltyOptions = {},
): tf.Scalar {
  const { lambda } = validate(LAMBDA, options, { where: 'gradientPenalty', error: CriticError });
  return tf.tidy(
    () =>
      penaltyOf(
        tfOps,
        (v) => critic.apply(v as tf.Tensor2D),
        real,
        fake,
        interpolationWeights(real, fake, options),
        lambda,
        options.oneSided ?? false,
      ) as tf.Scalar,
  );
}

/**
 * {@link gradientPenalty} on any engine's operations, with the interpolation weights `eps`
 * (`[batch, 1]`) given: the one definition both training engines run.
 */
export function penaltyOf<T>(
  ops: Ops<T>,
  critic: (x: T) => T,
  real: T,
  fake: T,
  eps: T,
  lambda: number,
  oneSided: boolean,
): T {
  const u = ops.add(ops.mul(eps, real), ops.mul(ops.sub(1, eps), fake));
  const grad = ops.grad((v) => ops.sum(critic(v)), u);
  const norm = ops.sqrt(ops.add(ops.sum(ops.square(grad), 1), 1e-12));
  const gap = ops.sub(norm, 1);
  const term = oneSided ? ops.square(ops.relu(gap)) : ops.square(gap);
  return ops.mul(lambda, ops.mean(term));
}
