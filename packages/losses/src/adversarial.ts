import { type Ops, oneOfSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { need } from './context.js';
import { LossError } from './errors.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const ADVERSARIAL_OPTIONS = v.strictObject({
  kind: v.optional(oneOfSchema(['wasserstein', 'lsgan', 'gan']), 'wasserstein'),
});

/** Options of {@link adversarialLoss}. */
export type AdversarialOptions = v.InferInput<typeof ADVERSARIAL_OPTIONS>;

type AdversarialKind = NonNullable<AdversarialOptions['kind']>;

/** The projector-side objective for scores `f = C(fake)` and, when given, `r = C(real)`. */
export function projectorTerm<T>(ops: Ops<T>, kind: AdversarialKind, f: T, r?: T): T {
  const forms: Record<AdversarialKind, () => T> = {
    lsgan: () => {
      const fake = ops.mul(0.5, ops.mean(ops.square(ops.sub(f, 1))));
      return r ? ops.add(fake, ops.mul(0.5, ops.mean(ops.square(r)))) : fake;
    },
    gan: () => {
      const fake = ops.mean(ops.softplus(ops.neg(f)));
      return r ? ops.add(fake, ops.mean(ops.softplus(r))) : fake;
    },
    wasserstein: () => {
      const fake = ops.neg(ops.mean(f));
      return r ? ops.add(fake, ops.mean(r)) : fake;
    },
  };
  return forms[kind]();
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
  return makeLoss('adversarial', o, (ops, ctx) => {
    const scores = need('adversarial', ctx, 'criticScores', '{ [critic]: { fake, real? } }');
    const entries = Object.entries(scores);
    if (entries.length === 0) {
      throw new LossError("adversarial: the context's 'criticScores' is empty");
    }
    const parts: Record<string, (typeof entries)[number][1]['fake']> = {};
    for (const [name, s] of entries) parts[name] = projectorTerm(ops, o.kind, s.fake, s.real);
    return { loss: ops.addN(Object.values(parts)), parts };
  });
}
