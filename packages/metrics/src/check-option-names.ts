import { MetricsError } from './metrics-error.js';

/**
 * Refuses option names that `where` does not know, listing the valid ones, so a typo such as
 * `{ protocl: 'voc' }` is an error instead of a silently ignored setting.
 */
export function checkOptionNames(
  options: object | undefined,
  valid: readonly string[],
  where: string,
): void {
  for (const name of Object.keys(options ?? {})) {
    if (!valid.includes(name)) {
      throw new MetricsError(
        `${where}: unknown option '${name}' (valid options: ${valid.join(', ')})`,
      );
    }
  }
}

/** Refuses a value that is not one of `valid`, naming the option and listing the valid values. */
export function checkChoice<T extends string>(
  value: unknown,
  valid: readonly T[],
  option: string,
  where: string,
): T {
  if (!valid.includes(value as T)) {
    throw new MetricsError(
      `${where}: unknown ${option} '${String(value)}' (expected one of ${valid.join(', ')})`,
    );
  }
  return value as T;
}
