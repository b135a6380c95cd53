import { numberSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { labelsOf, need } from './context.js';
import { softmaxCrossEntropy } from './cross-entropy.js';
import { cosineSimilarityOf } from './distances.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';
import { sumOverModalities } from './sum-over-modalities.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const IDENTITY_OPTIONS = v.strictObject({
  tau: v.optional(numberSchema({ min: 0, minExclusive: true }), 0.1),
});

/** Options of {@link identityMatchingLoss}. */
export type IdentityMatchingOptions = v.InferInput<typeof IDENTITY_OPTIONS>;

/**
 * Identity matching (registry name `identity`): each embedding must pick out its own class among
 * all seen-class prototypes. For modality `m`,
 *
 * `L_m = mean_i -log softmax_c( cos(z_i, p_c) / tau )[y_i]`, summed over the modalities present.
 *
 * Default `tau = 0.1`. The WAD-CMSN abstract (Xu, Hu & Cai, 2022) names an "identity matching
 * loss" without its equation; this is our reading (see `shared/design/wad-cmsn.md`), a
 * temperature-scaled cosine softmax over semantic identities. Context: `embeddings`, `labels`,
 * `prototypes` `[classes, d]`. Gradients reach the embeddings and the prototypes. Parts: per
 * modality.
 */
export function identityMatchingLoss(options: IdentityMatchingOptions = {}): Loss {
  const o = readOptions('identity', options, IDENTITY_OPTIONS);
  return makeLoss('identity', o, (ops, ctx) => {
    const prototypes = need('identity', ctx, 'prototypes', '[classes, d]');
    const embeddings = need('identity', ctx, 'embeddings', '{ sketch?, image? } of [batch, d]');
    return sumOverModalities(ops, 'identity', 'embeddings', embeddings, (m, z) =>
      softmaxCrossEntropy(
        ops,
        ops.div(cosineSimilarityOf(ops, z, prototypes), o.tau),
        labelsOf('identity', ctx, m),
      ),
    );
  });
}
