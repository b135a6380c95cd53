import { validate } from '@zs-sbir/core';
import type * as v from 'valibot';
import { LossError } from './errors.js';

/**
 * Validates a loss's options against its [valibot](https://valibot.dev) schema and returns them
 * with every default filled in, e.g.
 * `readOptions('prototype-margin', options, v.strictObject({ margin: v.optional(v.number(), 0.5) }))`.
 * Use `v.strictObject` so that an unknown name is an error listing the valid ones; each built-in
 * loss exports its schema (`TRIPLET_OPTIONS`, ...).
 *
 * @param where - the loss's registry name, used in messages.
 * @throws LossError naming the loss, the option, the value and what was expected, e.g.
 *   `triplet: option 'margin' must be a finite number >= 0, got -1`.
 */
export function readOptions<S extends v.GenericSchema>(
  where: string,
  options: unknown,
  schema: S,
): v.InferOutput<S> {
  return validate(schema, options, { where, error: LossError });
}
