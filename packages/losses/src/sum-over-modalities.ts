import { tf } from '@zs-sbir/core';
import { present } from './context.js';
import type { LossResult, Modality, PerModality } from './loss.js';

/**
 * Sums a per-modality term over the modalities present in `values` (sketch, then image): the
 * result's `loss` is the sum, its `parts` the term of each modality, by modality name.
 */
export function sumOverModalities<T>(
  loss: string,
  field: string,
  values: PerModality<T>,
  term: (modality: Modality, value: T) => tf.Scalar,
): LossResult {
  return tf.tidy(() => {
    const parts: Record<string, tf.Scalar> = {};
    for (const [m, v] of present(loss, field, values)) parts[m] = term(m, v);
    const terms = Object.values(parts);
    return { loss: terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar), parts };
  });
}
