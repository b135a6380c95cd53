import type { Ops } from '@zs-sbir/core';
import { present } from './context.js';
import type { LossResult, Modality, PerModality } from './loss.js';

/**
 * Sums a per-modality term over the modalities present in `values` (sketch, then image): the
 * result's `loss` is the sum, its `parts` the term of each modality, by modality name.
 */
export function sumOverModalities<T, V>(
  ops: Ops<T>,
  loss: string,
  field: string,
  values: PerModality<V>,
  term: (modality: Modality, value: V) => T,
): LossResult<T> {
  const parts: Record<string, T> = {};
  for (const [m, v] of present(loss, field, values)) parts[m] = term(m, v);
  return { loss: ops.addN(Object.values(parts)), parts };
}
