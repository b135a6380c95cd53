import { validate } from '@zs-sbir/core';
import * as v from 'valibot';
import { LossError } from './errors.js';
import type { Loss } from './loss.js';
import { createLoss } from './registry.js';
import { type WeightedTerms, weighted } from './weighted.js';

/**
 * One term of a {@link LossConfig}: `weight` (default 1; 0 switches the term off), `loss` (the
 * registry name; default the term's key), and the loss's own options.
 */
export interface LossTermConfig {
  weight?: number;
  loss?: string;
  [option: string]: unknown;
}

/** A JSON description of a weighted loss: `{ terms: { name: { weight?, loss?, ...options } } }`. */
export interface LossConfig {
  terms: Record<string, LossTermConfig>;
}

/** The schema (valibot) of a {@link LossConfig}: each term's own options are the loss's to check. */
export const LOSS_CONFIG = v.strictObject({
  terms: v.record(
    v.string(),
    v.looseObject({
      weight: v.optional(v.pipe(v.number('a finite number'), v.finite('a finite number')), 1),
      loss: v.optional(v.string()),
    }),
  ),
});

/**
 * Builds a weighted loss from JSON, e.g.
 * `lossFromConfig({ terms: { adversarial: { weight: 1 }, identity: { weight: 1, tau: 0.1 },
 * regression: { weight: 0.1 }, l2: { loss: 'reconstruction', norm: 'l2' } } })`. A term with
 * weight 0 is left out (not even computed).
 *
 * @throws LossError naming the term for an unknown loss name or option (listing the valid ones),
 *   or when every term is switched off.
 */
export function lossFromConfig(config: LossConfig): Loss {
  const { terms: given } = validate(LOSS_CONFIG, config, {
    where: 'lossFromConfig',
    error: LossError,
  });
  const terms: Record<string, [Loss, number]> = {};
  for (const [name, term] of Object.entries(given)) {
    const { weight, loss = name, ...options } = term;
    if (weight === 0) continue;
    try {
      terms[name] = [createLoss(String(loss), options), weight];
    } catch (err) {
      for (const [, [built]] of Object.entries(terms)) built.dispose();
      throw err instanceof LossError
        ? new LossError(`lossFromConfig: term '${name}': ${err.message}`)
        : err;
    }
  }
  if (Object.keys(terms).length === 0) {
    throw new LossError('lossFromConfig: every term has weight 0');
  }
  return weighted(terms as WeightedTerms);
}
