import { oneOfSchema, tf } from '@zs-sbir/core';
import * as v from 'valibot';
import { need } from './context.js';
import { LossError } from './errors.js';
import { type Loss, type LossResult, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const ADVERSARIAL_OPTIONS = v.strictObject({
  kind: v.optional(oneOfSchema(['wasserstein', 'lsgan', 'gan']), 'wasserstein'),
});

/** Options of {@link adversarialLoss}. */
export type AdversarialOptions = v.InferInput<typeof ADVERSARIAL_OPTIONS>;

/** The projector-side objective for scores `f = C(fake)` and, when given, `r = C(real)`. */
function projectorTerm(kind: AdversarialOptions['kind'], f: tf.Tensor, r?: tf.Tensor): tf.Scalar {
  switch (kind) {
    case 'lsgan': {
      const fake = tf.mul(0.5, tf.mean(tf.square(tf.sub(f, 1))));
      return (r ? tf.add(fake, tf.mul(0.5, tf.mean(tf.square(r)))) : fake) as tf.Scalar;
    }
    case 'gan': {
      const fake = tf.mean(tf.softplus(tf.neg(f)));
      return (r ? tf.add(fake, tf.mean(tf.softplus(r))) : fake) as tf.Scalar;
    }
    default: {
      const fake = tf.neg(tf.mean(f));
      return (r ? tf.add(fake, tf.mean(r)) : fake) as tf.Scalar;
    }
  }
}

/**
 * The projector side of the adversarial game, summed over the critics in `ctx.criticScores`
 * (registry name `adversarial`). For critic scores `f = C(fake)` and, when the "real" samples are
 * projections too (the cross-modal critic), `r = C(real)`:
 *
 * - `wasserstein` (default; WGAN, Arjovsky et al. 2017; WAD-CMSN): `mean(r) - mean(f)`. With a
 *   per-branch semantic critic this is `L_adv = -mean C_sk(z_sk) - mean C_im(z_im)`; with the
 *   cross-modal critic both projectors shrink the Wasserstein-1 estimate (Shen et al., AAAI 2018).
 * - `lsgan` (Mao et al., ICCV 2017): `0.5 mean (f - 1)^2 + 0.5 mean r^2`.
 * - `gan`, non-saturating (Goodfellow et al. 2014): `mean softplus(-f) + mean softplus(r)`.
 *
 * Parts: one per critic, by critic name. Gradients reach the projectors through the scores; the
 * critic's own variables must be left out of the projector update.
 */
export function adversarialLoss(options: AdversarialOptions = {}): Loss {
  const o = readOptions('adversarial', options, ADVERSARIAL_OPTIONS);
  return makeLoss('adversarial', o, (ctx): LossResult => {
    const scores = need('adversarial', ctx, 'criticScores', '{ [critic]: { fake, real? } }');
    const entries = Object.entries(scores);
    if (entries.length === 0) {
      throw new LossError("adversarial: the context's 'criticScores' is empty");
    }
    return tf.tidy(() => {
      const parts: Record<string, tf.Scalar> = {};
      for (const [name, s] of entries) parts[name] = projectorTerm(o.kind, s.fake, s.real);
      const terms = Object.values(parts);
      return { loss: terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar), parts };
    });
  });
}
