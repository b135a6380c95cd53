import { oneOfSchema, type tf, validate } from '@zs-sbir/core';
import * as v from 'valibot';
import { CriticError } from './errors.js';

/**
 * Where WAD-CMSN's Wasserstein critic sits:
 * - `semantic`: one critic per branch; "real" samples are the class prototypes `p_y` from the
 *   side-information encoder, "fake" that branch's projections `z_m`; each critic estimates the
 *   Wasserstein-1 distance between a modality's projections and the semantic space (our reading of
 *   the WAD-CMSN abstract, in the SEM-PCYC tradition);
 * - `cross-modal`: one critic estimating the Wasserstein-1 distance between sketch projections
 *   ("real") and image projections ("fake"), which both projectors shrink (Wasserstein
 *   distance-guided representation learning, Shen et al., AAAI 2018).
 *
 * Which form and weight help is an empirical question: a PyTorch reference run of `semantic` at
 * weight 1 retrieved worse than no critic at all on the built-in benchmark.
 */
export type CriticPlacement = 'semantic' | 'cross-modal';

/** The names {@link CriticPlacement} accepts. */
export const CRITIC_PLACEMENTS: readonly CriticPlacement[] = ['semantic', 'cross-modal'];

const PLACEMENT = v.object({ placement: oneOfSchema(CRITIC_PLACEMENTS) });

function checkPlacement(where: string, placement: unknown): void {
  validate(PLACEMENT, { placement }, { where, error: CriticError });
}

/** A critic's name under a placement: `sketch` and `image` (`semantic`), or `cross-modal`. */
export type CriticName = 'sketch' | 'image' | 'cross-modal';

/** One critic's batch: what it scores as real and as fake (tensors, or arrays on another engine). */
export interface CriticPair<T extends object = tf.Tensor2D> {
  critic: CriticName;
  /** `[batch, d]` */
  real: T;
  /** `[batch, d]` */
  fake: T;
  /**
   * True when `real` also comes from a projector (cross-modal), so the projector-side adversarial
   * loss must include `C(real)` too; false when `real` are prototypes.
   */
  realIsProjected: boolean;
}

/** A batch's projections and the prototypes of its labels, for {@link criticPairs}. */
export interface CriticBatch<T extends object = tf.Tensor2D> {
  /** Sketch projections `z_sk`, `[batch, d]`. */
  sketch: T;
  /** Image projections `z_im`, `[batch, d]`. */
  image: T;
  /**
   * Prototypes `p_y` of each sample's class, `[batch, d]`: one tensor when sketches and images are
   * class-paired row by row, or one per modality. Needed by `semantic` only.
   */
  prototypes?: T | { sketch: T; image: T };
}

/**
 * The critics a placement needs, by name: `['sketch', 'image']` or `['cross-modal']`.
 *
 * @throws CriticError for an unknown placement, listing the valid ones.
 */
export function criticNames(placement: CriticPlacement): CriticName[] {
  checkPlacement('criticNames', placement);
  return placement === 'semantic' ? ['sketch', 'image'] : ['cross-modal'];
}

/**
 * The (real, fake) batch of each critic under `placement`, in the order of {@link criticNames}.
 * Returns the given tensors (no copies); the caller keeps ownership.
 *
 * @throws CriticError for an unknown placement or when `semantic` gets no prototypes.
 */
export function criticPairs<T extends object = tf.Tensor2D>(
  placement: CriticPlacement,
  batch: CriticBatch<T>,
): CriticPair<T>[] {
  checkPlacement('criticPairs', placement);
  if (placement === 'cross-modal') {
    return [
      { critic: 'cross-modal', real: batch.sketch, fake: batch.image, realIsProjected: true },
    ];
  }
  const { prototypes } = batch;
  if (!prototypes) {
    throw new CriticError(
      "criticPairs: placement 'semantic' needs 'prototypes' (the class prototype of each sample, [batch, d])",
    );
  }
  const [pSketch, pImage] =
    'sketch' in prototypes && 'image' in prototypes
      ? [prototypes.sketch as T, prototypes.image as T]
      : [prototypes as T, prototypes as T];
  return [
    { critic: 'sketch', real: pSketch, fake: batch.sketch, realIsProjected: false },
    { critic: 'image', real: pImage, fake: batch.image, realIsProjected: false },
  ];
}

/**
 * What the projector-side adversarial loss reads under `placement`: each critic's scores of this
 * batch's projections `z`, by critic name. `semantic`: `{ sketch: { fake: C_sk(z_sk) }, image:
 * { fake: C_im(z_im) } }`; `cross-modal`: `{ 'cross-modal': { real: C(z_sk), fake: C(z_im) } }`
 * (both sides are projected, so both move). Written once for every engine: `critic(name)` gives
 * that critic's forward pass on the engine's values.
 *
 * @throws CriticError for an unknown placement, listing the valid ones.
 */
export function projectorCriticScores<T extends object>(
  placement: CriticPlacement,
  z: { sketch: T; image: T },
  critic: (name: CriticName) => (x: T) => T,
): Partial<Record<CriticName, { fake: T; real?: T }>> {
  checkPlacement('projectorCriticScores', placement);
  if (placement === 'cross-modal') {
    const c = critic('cross-modal');
    return { 'cross-modal': { real: c(z.sketch), fake: c(z.image) } };
  }
  return {
    sketch: { fake: critic('sketch')(z.sketch) },
    image: { fake: critic('image')(z.image) },
  };
}
