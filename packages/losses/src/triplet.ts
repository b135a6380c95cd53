import { numberSchema, type Ops, oneOfSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { labelsOf, need, present } from './context.js';
import { DISTANCES, pairwiseDistanceOf } from './distances.js';
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
function pool<T>(ops: Ops<T>, ctx: LossContext<T>, crossModal: boolean) {
  const embeddings = need('triplet', ctx, 'embeddings', '{ sketch?, image? } of [batch, d]');
  const given = present('triplet', 'embeddings', embeddings);
  if (crossModal && given.length < 2) {
    throw new LossError(
      "triplet: 'crossModal: true' needs both 'sketch' and 'image' embeddings (set crossModal: false for one modality)",
    );
  }
  return {
    z: ops.concat(given.map(([, z]) => z)),
    labels: ops.concat(given.map(([m]) => labelsOf('triplet', ctx, m))),
    modality: ops.concat(
      given.map(([, z], i) => {
        const rows = ops.shape(z)[0]!;
        return ops.constant(new Float32Array(rows).fill(i), [rows]);
      }),
    ),
  };
}

/** `[n, n]` ones off the diagonal. */
function offDiagonal<T>(ops: Ops<T>, n: number): T {
  const values = new Float32Array(n * n).fill(1);
  for (let i = 0; i < n; i++) values[i * n + i] = 0;
  return ops.constant(values, [n, n]);
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
  return makeLoss('triplet', o, (ops, ctx) => {
    const { z, labels, modality } = pool(ops, ctx, o.crossModal);
    const n = ops.shape(z)[0]!;
    const d = pairwiseDistanceOf(ops, z, z, o.distance);
    const outer = (x: typeof z) => ops.equal(ops.expandDims(x, 1), ops.expandDims(x, 0));
    const same = outer(labels);
    const allowed = o.crossModal ? ops.sub(1, outer(modality)) : offDiagonal(ops, n);
    const pos = ops.mul(same, allowed);
    const neg = ops.mul(ops.sub(1, same), allowed);
    const mined = {
      'batch-hard': () => {
        const hardestPos = ops.max(ops.mul(d, pos), 1);
        const hardestNeg = ops.min(ops.add(d, ops.mul(1e9, ops.sub(1, neg))), 1);
        return {
          valid: ops.mul(ops.step(ops.sum(pos, 1)), ops.step(ops.sum(neg, 1))),
          hinge: ops.relu(ops.add(o.margin, ops.sub(hardestPos, hardestNeg))),
        };
      },
      'batch-all': () => ({
        valid: ops.mul(ops.expandDims(pos, 2), ops.expandDims(neg, 1)),
        hinge: ops.relu(ops.add(o.margin, ops.sub(ops.expandDims(d, 2), ops.expandDims(d, 1)))),
      }),
    }[o.mining]();
    const count = ops.maximum(ops.sum(mined.valid), 1);
    const masked = ops.mul(mined.hinge, mined.valid);
    return {
      loss: ops.div(ops.sum(masked), count),
      parts: { active: ops.div(ops.sum(ops.step(masked)), count) },
    };
  });
}
