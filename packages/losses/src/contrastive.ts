import { numberSchema, oneOfSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { labelsOf, need } from './context.js';
import { DISTANCES, pairwiseDistanceOf } from './distances.js';
import { LossError } from './errors.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const CONTRASTIVE_OPTIONS = v.strictObject({
  margin: v.optional(numberSchema({ min: 0 }), 1),
  distance: v.optional(oneOfSchema(DISTANCES), 'euclidean'),
});

/** Options of {@link contrastiveLoss}. */
export type ContrastiveOptions = v.InferInput<typeof CONTRASTIVE_OPTIONS>;

/**
 * Contrastive loss over every sketch-image pair of the batch (registry name `contrastive`;
 * Hadsell, Chopra & LeCun, CVPR 2006, as used for SBIR by Siamese networks):
 *
 * `L = mean_{i,j} [ y_ij d_ij^2 + (1 - y_ij) max(0, margin - d_ij)^2 ] / 2`, `y_ij = [label_i = label_j]`,
 * `d_ij = d(z_sk_i, z_im_j)`.
 *
 * Defaults `margin = 1`, `distance = 'euclidean'` (or `'cosine'`). Context: both `embeddings`
 * and `labels`. Gradients reach both modalities' embeddings. Parts: `positive` and `negative`,
 * the two halves of the sum.
 */
export function contrastiveLoss(options: ContrastiveOptions = {}): Loss {
  const o = readOptions('contrastive', options, CONTRASTIVE_OPTIONS);
  return makeLoss('contrastive', o, (ops, ctx) => {
    const { sketch, image } = need(
      'contrastive',
      ctx,
      'embeddings',
      '{ sketch, image } of [batch, d]',
    );
    if (!sketch || !image) {
      throw new LossError(
        "contrastive: the context's 'embeddings' needs both 'sketch' and 'image'",
      );
    }
    const ls = labelsOf('contrastive', ctx, 'sketch');
    const li = labelsOf('contrastive', ctx, 'image');
    const d = pairwiseDistanceOf(ops, sketch, image, o.distance);
    const y = ops.equal(ops.expandDims(ls, 1), ops.expandDims(li, 0));
    const positive = ops.div(ops.mean(ops.mul(y, ops.square(d))), 2);
    const negative = ops.div(
      ops.mean(ops.mul(ops.sub(1, y), ops.square(ops.relu(ops.sub(o.margin, d))))),
      2,
    );
    return { loss: ops.add(positive, negative), parts: { positive, negative } };
  });
}
