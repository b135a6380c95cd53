/** An error class whose constructor takes a message, e.g. `SemanticError`. */
export type ErrorClass = new (message: string) => Error;

/**
 * Throws `error` when `options` has a key outside `valid`, listing the valid names.
 *
 * @param where - what is being configured, used as the message prefix, e.g. `createProjector`.
 */
export function assertKnownOptions(
  where: string,
  options: object,
  valid: readonly string[],
  error: ErrorClass,
): void {
  const unknown = Object.keys(options).filter((key) => !valid.includes(key));
  if (unknown.length > 0) {
    throw new error(
      `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown
        .map((k) => `'${k}'`)
        .join(', ')}; valid options are ${valid.join(', ')}`,
    );
  }
}

/** Returns `value` when it is an integer >= `min` (default 1), otherwise throws `error`. */
export function expectInteger(
  where: string,
  name: string,
  value: unknown,
  error: ErrorClass,
  min = 1,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new error(
      `${where}: option '${name}' must be an integer >= ${min}, got ${String(value)}`,
    );
  }
  return value;
}

/** Bounds of {@link expectNumber}; each side inclusive unless marked exclusive. */
export interface NumberBounds {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Returns `value` when it is a finite number within `bounds`, otherwise throws `error`. */
export function expectNumber(
  where: string,
  name: string,
  value: unknown,
  error: ErrorClass,
  {
    min = -Infinity,
    max = Infinity,
    minExclusive = false,
    maxExclusive = false,
  }: NumberBounds = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const bounds = [
      Number.isFinite(min) ? `${minExclusive ? '>' : '>='} ${min}` : '',
      Number.isFinite(max) ? `${maxExclusive ? '<' : '<='} ${max}` : '',
    ].filter(Boolean);
    throw new error(
      `${where}: option '${name}' must be a finite number${bounds.length ? ` ${bounds.join(' and ')}` : ''}, got ${String(value)}`,
    );
  }
  return value as number;
}

/** Returns `value` when it is one of `values`, otherwise throws `error` listing them. */
export function expectOneOf<T extends string>(
  where: string,
  name: string,
  value: unknown,
  values: readonly T[],
  error: ErrorClass,
): T {
  if (typeof value !== 'string' || !values.includes(value as T)) {
    throw new error(
      `${where}: option '${name}' must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}
