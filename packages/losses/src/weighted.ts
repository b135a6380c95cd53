import { tf } from '@zs-sbir/core';
import { LossError } from './errors.js';
import { type Loss, type LossResult, makeLoss } from './loss.js';

/** Terms of {@link weighted}: a loss and its weight, by the name used in logs. */
export type WeightedTerms = Record<string, readonly [Loss, number]>;

/**
 * Composes terms into one loss, `L = sum_k w_k L_k`, e.g.
 * `weighted({ adversarial: [adversarialLoss(), 1], identity: [identityMatchingLoss(), 1] })`.
 *
 * Parts: each term's unweighted value under its name, and its own parts as `name/part`
 * (e.g. `identity/sketch`). `trainableVariables` gathers the terms'; `dispose()` frees them. The
 * result's `options` map each name to `{ loss: id, weight, ...options }` (the shape
 * `lossFromConfig` reads).
 *
 * @throws LossError when there are no terms or a weight is not a finite number.
 */
export function weighted(terms: WeightedTerms): Loss {
  const entries = Object.entries(terms);
  if (entries.length === 0) throw new LossError('weighted: no terms given');
  for (const [name, [loss, weight]] of entries) {
    if (typeof loss !== 'function') {
      throw new LossError(`weighted: term '${name}' is not a loss (expected [loss, weight])`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new LossError(
        `weighted: term '${name}' has weight ${String(weight)}, expected a finite number`,
      );
    }
  }
  const options = Object.fromEntries(
    entries.map(([name, [loss, weight]]) => [name, { loss: loss.id, weight, ...loss.options }]),
  );
  return makeLoss(
    'weighted',
    { terms: options },
    (ctx): LossResult =>
      tf.tidy(() => {
        const parts: Record<string, tf.Scalar> = {};
        const weightedTerms: tf.Scalar[] = [];
        for (const [name, [loss, weight]] of entries) {
          const r = loss(ctx);
          parts[name] = r.loss;
          for (const [k, v] of Object.entries(r.parts)) parts[`${name}/${k}`] = v;
          weightedTerms.push(weight === 1 ? r.loss : (tf.mul(weight, r.loss) as tf.Scalar));
        }
        const total =
          weightedTerms.length === 1 ? weightedTerms[0]! : (tf.addN(weightedTerms) as tf.Scalar);
        return { loss: total, parts };
      }),
    {
      trainableVariables: entries.flatMap(([, [loss]]) => loss.trainableVariables),
      dispose: () => {
        for (const [, [loss]] of entries) loss.dispose();
      },
    },
  );
}
