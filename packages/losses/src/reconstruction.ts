import { need } from './context.js';
import { type Loss, makeLoss } from './loss.js';
import { type OptionSpec, type ResolvedOptions, readOptions } from './read-options.js';
import { elementwiseError, NORMS, REDUCTIONS } from './reduce.js';
import { sumOverModalities } from './sum-over-modalities.js';

const SPEC = {
  norm: { type: 'enum', values: NORMS, default: 'l1' },
  reduction: { type: 'enum', values: REDUCTIONS, default: 'mean' },
} as const satisfies Record<string, OptionSpec>;

/** Options of {@link reconstructionLoss}. */
export type ReconstructionOptions = Partial<ResolvedOptions<typeof SPEC>>;

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
  const o = readOptions('reconstruction', options, SPEC);
  return makeLoss('reconstruction', o, (ctx) => {
    const recs = need(
      'reconstruction',
      ctx,
      'reconstructions',
      '{ sketch?, image? } of { output, target }',
    );
    return sumOverModalities('reconstruction', 'reconstructions', recs, (_, r) =>
      elementwiseError(r.output, r.target, o.norm, o.reduction),
    );
  });
}
