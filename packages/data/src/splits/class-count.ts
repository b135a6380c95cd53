import { SplitError } from '../errors.js';

/**
 * Turns a count or a share into a number of classes: an integer >= 0 is a count, a number in
 * (0, 1) a share of `total` (rounded).
 *
 * @throws {SplitError} naming the option when the value is neither, or more than `total`.
 */
export function classCount(option: string, value: number, total: number): number {
  const n = value > 0 && value < 1 ? Math.round(value * total) : value;
  if (!Number.isInteger(n) || n < 0 || n > total) {
    throw new SplitError(
      `${option}: expected a count 0..${total} or a share in (0, 1), got ${value}`,
    );
  }
  return n;
}
