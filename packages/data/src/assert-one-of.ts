import { type ErrorClass, oneOfSchema, validate } from '@zs-sbir/core';
import * as v from 'valibot';

/**
 * Refuses a value of option `option` of `where` that is not one of `valid`, throwing `error`
 * with the option, the value and the choices:
 * `loadSplit: option 'dataset' must be one of sem-pcyc, sake, got "tuberlin"`.
 */
export function assertOneOf<T extends string>(
  where: string,
  option: string,
  value: unknown,
  valid: readonly T[],
  error: ErrorClass = Error,
): asserts value is T {
  validate(v.object({ [option]: oneOfSchema(valid) }), { [option]: value }, { where, error });
}
