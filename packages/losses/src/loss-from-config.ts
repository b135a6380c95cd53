import { assertKnownOptions } from '@zs-sbir/semantic';
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
  assertKnownOptions('lossFromConfig', config, ['terms'], LossError);
  if (!config.terms || typeof config.terms !== 'object') {
    throw new LossError("lossFromConfig: 'terms' must be an object of { name: { weight?, ... } }");
  }
  const terms: Record<string, [Loss, number]> = {};
  for (const [name, term] of Object.entries(config.terms)) {
    const { weight = 1, loss = name, ...options } = term ?? {};
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new LossError(
        `lossFromConfig: term '${name}' has weight ${String(weight)}, expected a finite number`,
      );
    }
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
