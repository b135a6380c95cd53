import { oneOfSchema, validate } from '@zs-sbir/core/validation';
import * as v from 'valibot';
import { MetricsError } from './metrics-error.js';

// Both checks run on valibot through @zs-sbir/core's `validate` (one message format for every
// package); the build bundles the parts used, so metrics keeps no runtime dependency.

/**
 * Refuses option names that `where` does not know, listing the valid ones, so a typo such as
 * `{ protocl: 'voc' }` is an error instead of a silently ignored setting.
 */
export function checkOptionNames(
  options: object | undefined,
  valid: readonly string[],
  where: string,
): void {
  const names = v.strictObject(
    Object.fromEntries(valid.map((name) => [name, v.optional(v.unknown())])),
  );
  validate(names, options ?? {}, { where, error: MetricsError });
}

/** Refuses a value that is not one of `valid`, naming the option and listing the valid values. */
export function checkChoice<T extends string>(
  value: unknown,
  valid: readonly T[],
  option: string,
  where: string,
): T {
  const choice = v.object({ [option]: oneOfSchema(valid) });
  return validate(choice, { [option]: value }, { where, error: MetricsError })[option] as T;
}
