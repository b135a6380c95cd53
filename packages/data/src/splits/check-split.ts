import type { Split } from '@zs-sbir/core';
import { normaliseClassName } from '../class-name.js';
import { SplitError } from '../errors.js';

/**
 * Checks that every class a split names is one of `classes` (compared normalised).
 *
 * @throws {SplitError} listing every missing class.
 */
export function checkSplitClasses(split: Split, classes: readonly string[]): void {
  const have = new Set(classes.map(normaliseClassName));
  const named = [...split.seen, ...split.unseen, ...split.validation];
  const missing = [...new Set(named.filter((c) => !have.has(normaliseClassName(c))))];
  if (missing.length > 0) {
    throw new SplitError(
      `split '${split.name}' names ${missing.length} class(es) the dataset does not have: ${missing.join(', ')}`,
    );
  }
}
