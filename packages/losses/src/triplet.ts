import { numberSchema, oneOfSchema, tf } from '@zs-sbir/core';
import * as v from 'valibot';
import { labelsOf, need, present } from './context.js';
import { DISTANCES, pairwiseDistance } from './distances.js';
import { LossError } from './errors.js';
import { type Loss, type LossContext, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const TRIPLET_OPTIONS = v.strictObject({
  margin: v.optional(numberSchema({ min: 0 }), 0.2),
  mining: v.optional(oneOfSchema(['batch-hard', 'batch-all']), 'batch-hard'),
  distance: v.optional(oneOfSchema(DISTANCES), 'euclidean'),
  crossModal: v.optional(v.boolean(), true),
});

/** Options of {@link tripletLoss}. */
export type TripletOptions = v.InferInput<typeof TRIPLET_OPTIONS>;

/** Embeddings of all present modalities stacked, with labels and a modality index per row. */
function pool(ctx: LossContext, crossModal: boolean) {
  const embeddings = need('triplet', ctx, 'embeddings', '{ sketch?, image? } of [batch, d]');
  const given = present('triplet', 'embeddings', embeddings);
  if (crossModal && given.length < 2) {
    throw new LossError(
      "triplet: 'crossModal: true' needs both 'sketch' and 'image' embeddings (set crossModal: false for one modality)",
    );
  }
  return {
    z: tf.concat(given.map(([, z]) => z)) as tf.Tensor2D,
    labels: tf.concat(given.map(([m]) => labelsOf('triplet', ctx, m))),
    modality: tf.concat(given.map(([, z], i) => tf.fill([z.shape[0]], i, 'int32'))),
  };
}

/**
 * Triplet loss with online mining (registry name `triplet`), for the ablation that adds a metric
 * term. Anchors are all rows of the pooled embeddings; with `crossModal` (default) positives and
 * negatives come from the other modality only (sketch anchors against images and vice versa).
 *
 * - `batch-hard` (default; Hermans, Beyer & Leibe, "In Defense of the Triplet Loss", 2017):
 *   `L = mean_a max(0, margin + max_p d(a, p) - min_n d(a, n))` over anchors that have a positive
 *   and a negative;
 * - `batch-all`: `mean over valid (a, p, n) of max(0, margin + d(a, p) - d(a, n))`.
 *
 * Defaults `margin = 0.2` (FaceNet, Schroff et al. 2015), `distance = 'euclidean'` (or `'cosine'`,
 * `1 - cos`). Context: `embeddings`, `labels`. Gradients reach the embeddings. Part `active`: the
 * fraction of mined triplets with a positive loss.
 */
export function tripletLoss(options: TripletOptions = {}): Loss {
  const o = readOptions('triplet', options, TRIPLET_OPTIONS);
  return makeLoss('triplet', o, (ctx) =>
    tf.tidy(() => {
      const { z, labels, modality } = pool(ctx, o.crossModal);
      const n = z.shape[0];
      const d = pairwiseDistance(z, z, o.distance);
      const same = tf.equal(tf.expandDims(labels, 1), tf.expandDims(labels, 0));
      const allowed = o.crossModal
        ? tf.notEqual(tf.expandDims(modality, 1), tf.expandDims(modality, 0))
        : tf.logicalNot(tf.cast(tf.eye(n), 'bool'));
      const pos = tf.cast(tf.logicalAnd(same, allowed), 'float32');
      const neg = tf.cast(tf.logicalAnd(tf.logicalNot(same), allowed), 'float32');
      let hinge: tf.Tensor;
      let valid: tf.Tensor;
      if (o.mining === 'batch-hard') {
        const hardestPos = tf.max(tf.mul(d, pos), 1);
        const hardestNeg = tf.min(tf.add(d, tf.mul(1e9, tf.sub(1, neg))), 1);
        valid = tf.mul(tf.step(tf.sum(pos, 1)), tf.step(tf.sum(neg, 1)));
        hinge = tf.relu(tf.add(o.margin, tf.sub(hardestPos, hardestNeg)));
      } else {
        valid = tf.mul(tf.expandDims(pos, 2), tf.expandDims(neg, 1));
        hinge = tf.relu(tf.add(o.margin, tf.sub(tf.expandDims(d, 2), tf.expandDims(d, 1))));
      }
      const count = tf.maximum(tf.sum(valid), 1);
      const masked = tf.mul(hinge, valid);
      return {
        loss: tf.div(tf.sum(masked), count) as tf.Scalar,
        parts: { active: tf.div(tf.sum(tf.step(masked)), count) as tf.Scalar },
      };
    }),
  );
}
