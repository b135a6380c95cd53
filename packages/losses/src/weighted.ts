import { LossError } from './errors.js';
import { type Loss, makeLoss } from './loss.js';

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
    (ops, ctx) => {
      const parts: Record<string, ReturnType<typeof ops.neg>> = {};
      const weightedTerms: ReturnType<typeof ops.neg>[] = [];
      const termOf = (name: string, loss: Loss) => {
        try {
          return loss.compute(ops, ctx);
        } catch (err) {
          if (ops.engine === 'tfjs' || err instanceof LossError) throw err;
          throw new LossError(
            `weighted: term '${name}' (loss '${loss.id}') does not run on the ${ops.engine} engine: ${(err as Error).message}; write a loss with the operations makeLoss hands it, not with tf`,
            { cause: err },
          );
        }
      };
      for (const [name, [loss, weight]] of entries) {
        const r = termOf(name, loss);
        parts[name] = r.loss;
        for (const [k, v] of Object.entries(r.parts)) parts[`${name}/${k}`] = v;
        weightedTerms.push(weight === 1 ? r.loss : ops.mul(weight, r.loss));
      }
      return { loss: ops.addN(weightedTerms), parts };
    },
    {
      trainableVariables: entries.flatMap(([, [loss]]) => loss.trainableVariables),
      dispose: () => {
        for (const [, [loss]] of entries) loss.dispose();
      },
    },
  );
}
