import * as v from 'valibot';

/** Bounds of {@link numberSchema}; each side inclusive unless marked exclusive. */
export interface NumberBounds {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/**
 * A finite number within `bounds`; a failure reads `must be a finite number >= 0 and < 1`.
 * Wrap it in `v.optional(schema, default)` for a default.
 */
export function numberSchema({
  min,
  max,
  minExclusive = false,
  maxExclusive = false,
}: NumberBounds = {}) {
  const bounds = [
    min !== undefined ? `${minExclusive ? '>' : '>='} ${min}` : '',
    max !== undefined ? `${maxExclusive ? '<' : '<='} ${max}` : '',
  ].filter(Boolean);
  const expected = `a finite number${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
  return v.pipe(
    v.number(expected),
    v.finite(expected),
    v.check(
      (x) =>
        (min === undefined || (minExclusive ? x > min : x >= min)) &&
        (max === undefined || (maxExclusive ? x < max : x <= max)),
      expected,
    ),
  );
}

/**
 * An integer `>= min` (default 1) and, when given, `<= max`; a failure reads
 * `must be an integer >= 1`, or `must be an integer from 32 to 1024` with a `max`.
 */
export function integerSchema({ min = 1, max }: { min?: number; max?: number } = {}) {
  const expected = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return v.pipe(
    v.number(expected),
    v.integer(expected),
    v.minValue(min, expected),
    v.maxValue(max ?? Number.POSITIVE_INFINITY, expected),
  );
}

/** One of `values`; a failure reads `must be one of a, b, c`. */
export function oneOfSchema<const T extends readonly string[]>(values: T) {
  return v.picklist(values, `one of ${values.join(', ')}`);
}

/** A seed: a finite number or a string. */
export function seedSchema() {
  const expected = 'a finite number or a string';
  return v.union([v.string(), v.pipe(v.number(), v.finite())], expected);
}
