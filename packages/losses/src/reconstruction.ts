import { oneOfSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { need } from './context.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';
import { elementwiseError, NORMS, REDUCTIONS } from './reduce.js';
import { sumOverModalities } from './sum-over-modalities.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const RECONSTRUCTION_OPTIONS = v.strictObject({
  norm: v.optional(oneOfSchema(NORMS), 'l1'),
  reduction: v.optional(oneOfSchema(REDUCTIONS), 'mean'),
});

/** Options of {@link reconstructionLoss}. */
export type ReconstructionOptions = v.InferInput<typeof RECONSTRUCTION_OPTIONS>;

/**
 * Reconstruction (registry name `reconstruction`): decoders map embeddings back to the visual
 * features they came from, `L_m = reduce(|F_m(z_m) - x_m|)` (`norm = 'l1'`, default) or
 * `reduce((F_m(z_m) - x_m)^2)` (`'l2'`), summed over the modalities present.
 *
 * Defaults `norm = 'l1'`, `reduction = 'mean'`: SEM-PCYC's cycle-consistency loss (Dutta & Akata,
 * CVPR 2019; L1, after CycleGAN). Context: `reconstructions` `{ sketch?, image? }` of
 * `{ output, target }`. Gradients reach the outputs (the target is a constant). Parts: per
 * modality.
 */
export function reconstructionLoss(options: ReconstructionOptions = {}): Loss {
  const o = readOptions('reconstruction', options, RECONSTRUCTION_OPTIONS);
  return makeLoss('reconstruction', o, (ops, ctx) => {
    const recs = need(
      'reconstruction',
      ctx,
      'reconstructions',
      '{ sketch?, image? } of { output, target }',
    );
    return sumOverModalities(ops, 'reconstruction', 'reconstructions', recs, (_, r) =>
      elementwiseError(ops, r.output, r.target, o.norm, o.reduction),
    );
  });
}
