import { numberSchema, type Ops, oneOfSchema, type Rng, tf, tfOps, validate } from '@zs-sbir/core';
import { buildMlp, resolveMlpOptions } from '@zs-sbir/semantic';
import * as v from 'valibot';
import { CRITIC_OPTIONS, type Critic, type CriticOptions, createCritic } from './critic.js';
import { CriticError } from './errors.js';
import { interpolationWeights, penaltyOf } from './gradient-penalty.js';

/**
 * The adversarial objective a critic is trained with:
 * - `wgan-gp`: Wasserstein critic with the two-sided gradient penalty (Gulrajani et al. 2017);
 * - `wgan-lp`: the one-sided penalty `max(0, ||grad|| - 1)^2` (Petzka et al., ICLR 2018);
 * - `wgan-clip`: the original WGAN, weights clipped to `[-clip, clip]` after each update
 *   (Arjovsky et al., ICML 2017);
 * - `lsgan`: least-squares GAN discriminator, targets 1 (real) and 0 (fake) (Mao et al.,
 *   ICCV 2017);
 * - `gan`: the original GAN discriminator on logits, `softplus(-C(real)) + softplus(C(fake))`
 *   (Goodfellow et al., NeurIPS 2014).
 */
export type DiscriminatorKind = 'wgan-gp' | 'wgan-lp' | 'wgan-clip' | 'lsgan' | 'gan';

/** The names {@link DiscriminatorKind} accepts. */
export const DISCRIMINATOR_KINDS: readonly DiscriminatorKind[] = [
  'wgan-gp',
  'wgan-lp',
  'wgan-clip',
  'lsgan',
  'gan',
];

/** The objective's settings, without the network. */
export interface DiscriminatorObjective {
  /** Default `'wgan-gp'`. */
  kind?: DiscriminatorKind;
  /**
   * Gradient-penalty weight; default 10 for `wgan-gp` and `wgan-lp`, 0 (off) for the others. A
   * positive value adds the (two-sided, or one-sided for `wgan-lp`) penalty to any kind.
   */
  lambda?: number;
  /** Weight-clipping bound `c` of `wgan-clip`; default 0.01 (Arjovsky et al.). Ignored otherwise. */
  clip?: number;
}

/** Options of {@link createDiscriminator}: the critic's options and the objective's. */
export interface DiscriminatorOptions extends CriticOptions, DiscriminatorObjective {}

/** A discriminator's JSON config: the resolved objective and the critic's config. */
export interface DiscriminatorConfig extends Required<DiscriminatorObjective> {
  critic: Critic['config'];
}

/** Options of {@link Discriminator.loss}. */
export interface DiscriminatorLossOptions {
  /** Interpolation weights of the gradient penalty, `[batch, 1]`; default: drawn. */
  epsilon?: tf.Tensor | ArrayLike<number>;
  /** Draws the penalty's interpolation weights reproducibly. */
  rng?: Rng;
}

/** The critic-side loss and its parts (scalars the caller owns). */
export interface DiscriminatorLoss {
  /** What the critic minimises: `adversarial + penalty`. */
  loss: tf.Scalar;
  parts: {
    /** The objective without the penalty (for `wgan-*`: `mean C(fake) - mean C(real)`). */
    adversarial: tf.Scalar;
    /** The gradient penalty (0 when `lambda` is 0). */
    penalty: tf.Scalar;
    /**
     * `mean C(real) - mean C(fake)`: the Wasserstein-1 estimate for the `wgan-*` kinds, only a
     * score gap for `lsgan` and `gan`.
     */
    wasserstein: tf.Scalar;
  };
}

/** A critic with the objective it is trained by. */
export interface Discriminator {
  readonly kind: DiscriminatorKind;
  readonly critic: Critic;
  readonly config: DiscriminatorConfig;
  readonly trainableVariables: tf.Variable[];
  /** The critic-side loss on a batch of `real` and `fake` samples, both `[batch, d]`. */
  loss(real: tf.Tensor2D, fake: tf.Tensor2D, options?: DiscriminatorLossOptions): DiscriminatorLoss;
  /** Applies the objective's constraint after an update (weight clipping for `wgan-clip`). */
  constrain(): void;
  /** Frees the critic's variables. */
  dispose(): void;
}

/** The schema (valibot) of {@link DiscriminatorObjective}; `lambda`'s default depends on `kind`. */
export const OBJECTIVE_OPTIONS = v.strictObject({
  kind: v.optional(oneOfSchema(DISCRIMINATOR_KINDS), 'wgan-gp'),
  lambda: v.optional(numberSchema({ min: 0 })),
  clip: v.optional(numberSchema({ min: 0 }), 0.01),
});

/** The schema (valibot) of {@link DiscriminatorOptions}: a critic's options and its objective. */
export const DISCRIMINATOR_OPTIONS = v.strictObject({
  ...CRITIC_OPTIONS.entries,
  ...OBJECTIVE_OPTIONS.entries,
});

/** The option names {@link createDiscriminator} accepts. */
export const DISCRIMINATOR_OPTION_NAMES: readonly string[] = Object.keys(
  DISCRIMINATOR_OPTIONS.entries,
);

function resolveObjective(where: string, objective: unknown) {
  const o = validate(OBJECTIVE_OPTIONS, objective, { where, error: CriticError });
  const penalised = o.kind === 'wgan-gp' || o.kind === 'wgan-lp';
  return { kind: o.kind, lambda: o.lambda ?? (penalised ? 10 : 0), clip: o.clip };
}

/**
 * The critic-side objective without the penalty, from scores `r = C(real)`, `f = C(fake)`
 * (`[batch, 1]`), on any engine's operations: the one definition both training engines run.
 */
export function criticObjective<T>(ops: Ops<T>, kind: DiscriminatorKind, r: T, f: T): T {
  const wasserstein = () => ops.sub(ops.mean(f), ops.mean(r));
  const forms: Record<DiscriminatorKind, () => T> = {
    'wgan-gp': wasserstein,
    'wgan-lp': wasserstein,
    'wgan-clip': wasserstein,
    lsgan: () =>
      ops.mul(0.5, ops.add(ops.mean(ops.square(ops.sub(r, 1))), ops.mean(ops.square(f)))),
    gan: () => ops.add(ops.mean(ops.softplus(ops.neg(r))), ops.mean(ops.softplus(f))),
  };
  return forms[kind]();
}

/** One critic update's scalars on any engine's values (see {@link criticLossOf}). */
export interface CriticLossValues<T> {
  /** What the critic minimises: `adversarial + penalty`. */
  loss: T;
  /** {@link criticObjective}'s value. */
  adversarial: T;
  /** The gradient penalty, 0 when `lambda` is 0. */
  penalty: T;
  /** `mean C(real) - mean C(fake)`. */
  wasserstein: T;
}

/**
 * One critic update's loss and parts on any engine's operations, the one definition that
 * {@link Discriminator.loss} (TensorFlow.js) and the ONNX Runtime engine's critic graph run:
 * `criticObjective(C(real), C(fake)) + penaltyOf(...)`, and the Wasserstein estimate.
 *
 * @param critic - the critic's forward pass `[batch, d] -> [batch, 1]` on the engine's values.
 * @param epsilon - the penalty's interpolation weights `[batch, 1]`; needed when `lambda > 0`.
 * @throws CriticError when `lambda > 0` and no `epsilon` is given.
 */
export function criticLossOf<T>(
  ops: Ops<T>,
  { kind, lambda }: { kind: DiscriminatorKind; lambda: number },
  critic: (x: T) => T,
  real: T,
  fake: T,
  epsilon?: T,
): CriticLossValues<T> {
  const r = critic(real);
  const f = critic(fake);
  const adversarial = criticObjective(ops, kind, r, f);
  let penalty: T;
  if (lambda > 0) {
    if (epsilon === undefined) {
      throw new CriticError(
        `criticLossOf: a '${kind}' critic with lambda ${lambda} needs the penalty's interpolation weights 'epsilon' ([batch, 1])`,
      );
    }
    penalty = penaltyOf(ops, critic, real, fake, epsilon, lambda, kind === 'wgan-lp');
  } else {
    penalty = ops.constant([0], []);
  }
  const wasserstein = ops.sub(ops.mean(r), ops.mean(f));
  return { loss: ops.add(adversarial, penalty), adversarial, penalty, wasserstein };
}

/**
 * Puts an existing critic under an objective (the critic is shared, not copied:
 * `dispose()` frees it).
 *
 * @throws CriticError for an unknown kind (listing the valid ones) or a negative `lambda`/`clip`.
 */
export function withObjective(
  critic: Critic,
  objective: DiscriminatorObjective = {},
): Discriminator {
  const resolved = resolveObjective('withObjective', objective);
  const { kind, lambda, clip } = resolved;
  return {
    kind,
    critic,
    config: { ...resolved, critic: critic.config },
    trainableVariables: critic.trainableVariables,
    loss(real, fake, options = {}) {
      const { loss, ...parts } = tf.tidy(() => {
        const epsilon = lambda > 0 ? interpolationWeights(real, fake, options) : undefined;
        return criticLossOf<tf.Tensor>(
          tfOps,
          { kind, lambda },
          (x) => critic.apply(x as tf.Tensor2D),
          real,
          fake,
          epsilon,
        ) as CriticLossValues<tf.Tensor> & tf.NamedTensorMap;
      }) as unknown as CriticLossValues<tf.Scalar>;
      return { loss, parts };
    },
    constrain() {
      if (kind !== 'wgan-clip') return;
      tf.tidy(() => {
        for (const v of critic.trainableVariables) v.assign(tf.clipByValue(v, -clip, clip));
      });
    },
    dispose: () => critic.dispose(),
  };
}

/**
 * Builds a critic and the objective it is trained by, for the ablations WAD-CMSN's recipe runs by
 * config: `{ kind: 'wgan-gp' | 'wgan-lp' | 'wgan-clip' | 'lsgan' | 'gan', lambda?, clip?,
 * ...critic options }`. Every kind uses the same network ({@link createCritic}) and interface.
 *
 * @throws CriticError naming the option that is wrong (unknown names list the valid ones).
 */
export function createDiscriminator(options: DiscriminatorOptions): Discriminator {
  validate(DISCRIMINATOR_OPTIONS, options, { where: 'createDiscriminator', error: CriticError });
  const { kind, lambda, clip, ...criticOptions } = options;
  const objective = resolveObjective('createDiscriminator', { kind, lambda, clip });
  return withObjective(createCritic(criticOptions), objective);
}

/**
 * Rebuilds a discriminator from its `config` (e.g. read back from a checkpoint's JSON): same
 * objective, same critic layout and seed, so the same initial weights; load trained ones with
 * `discriminator.critic.setWeights`.
 *
 * @throws CriticError when the config is not a discriminator's.
 */
export function discriminatorFromConfig(config: DiscriminatorConfig): Discriminator {
  const { critic, ...objective } = config;
  if (critic?.kind !== 'critic') {
    throw new CriticError(
      "discriminatorFromConfig: config.critic must be a critic's config (kind 'critic')",
    );
  }
  const { kind, ...layout } = critic;
  const resolved = resolveMlpOptions('discriminatorFromConfig', kind, layout, {
    error: CriticError,
  });
  return withObjective(buildMlp(resolved, CriticError), objective);
}
