import { normaliseClassName } from './class-name.js';
import { SplitError } from './errors.js';

/**
 * Indices of `names` in `classes` (compared normalised), e.g. a split's seen classes.
 *
 * @throws {SplitError} listing names that are not in `classes`.
 */
export function labelIndices(classes: readonly string[], names: readonly string[]): number[] {
  const index = new Map(classes.map((c, i) => [normaliseClassName(c), i]));
  const missing = names.filter((n) => !index.has(normaliseClassName(n)));
  if (missing.length > 0) {
    throw new SplitError(`classes not in the dataset: ${missing.join(', ')}`);
  }
  return names.map((n) => index.get(normaliseClassName(n))!);
}
