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

/** One critic's batch: what it scores as real and as fake. */
export interface CriticPair {
  critic: CriticName;
  /** `[batch, d]` */
  real: tf.Tensor2D;
  /** `[batch, d]` */
  fake: tf.Tensor2D;
  /**
   * True when `real` also comes from a projector (cross-modal), so the projector-side adversarial
   * loss must include `C(real)` too; false when `real` are prototypes.
   */
  realIsProjected: boolean;
}

/** A batch's projections and the prototypes of its labels, for {@link criticPairs}. */
export interface CriticBatch {
  /** Sketch projections `z_sk`, `[batch, d]`. */
  sketch: tf.Tensor2D;
  /** Image projections `z_im`, `[batch, d]`. */
  image: tf.Tensor2D;
  /**
   * Prototypes `p_y` of each sample's class, `[batch, d]`: one tensor when sketches and images are
   * class-paired row by row, or one per modality. Needed by `semantic` only.
   */
  prototypes?: tf.Tensor2D | { sketch: tf.Tensor2D; image: tf.Tensor2D };
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
export function criticPairs(placement: CriticPlacement, batch: CriticBatch): CriticPair[] {
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
    'sketch' in prototypes ? [prototypes.sketch, prototypes.image] : [prototypes, prototypes];
  return [
    { critic: 'sketch', real: pSketch, fake: batch.sketch, realIsProjected: false },
    { critic: 'image', real: pImage, fake: batch.image, realIsProjected: false },
  ];
}
