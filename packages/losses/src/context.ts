import { LossError } from './errors.js';
import type { LossContext, Modality, PerModality } from './loss.js';

const MODALITIES: readonly Modality[] = ['sketch', 'image'];

/**
 * The context field `field`, or a `LossError` saying which loss needs it and what it holds.
 *
 * @param what - description of the expected content, e.g. `'[classes, d]'`.
 */
export function need<T, K extends keyof LossContext<T>>(
  loss: string,
  ctx: LossContext<T>,
  field: K,
  what: string,
): NonNullable<LossContext<T>[K]> {
  const value = ctx[field];
  if (value === undefined || value === null) {
    throw new LossError(`${loss}: the context needs '${String(field)}' (${what})`);
  }
  return value as NonNullable<LossContext<T>[K]>;
}

/** The modalities given in `values`, in the order sketch, image; at least one or a `LossError`. */
export function present<T>(loss: string, field: string, values: PerModality<T>): [Modality, T][] {
  const out = MODALITIES.filter((m) => values[m] !== undefined).map(
    (m) => [m, values[m]!] as [Modality, T],
  );
  if (out.length === 0) {
    throw new LossError(`${loss}: the context's '${field}' has neither 'sketch' nor 'image'`);
  }
  return out;
}

const perModality = <T>(labels: T | PerModality<T>): labels is PerModality<T> =>
  typeof labels === 'object' &&
  labels !== null &&
  Object.keys(labels).every((k) => k === 'sketch' || k === 'image') &&
  Object.keys(labels).length > 0;

/** The labels of `modality`'s rows: the shared tensor, or that modality's. */
export function labelsOf<T>(loss: string, ctx: LossContext<T>, modality: Modality): T {
  const labels = need(loss, ctx, 'labels', '[batch] class indices');
  const own = perModality(labels) ? labels[modality] : labels;
  if (!own) throw new LossError(`${loss}: the context's 'labels' has no '${modality}'`);
  return own as T;
}
