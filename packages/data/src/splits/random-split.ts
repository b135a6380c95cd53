import { createRng, type Split } from '@zs-sbir/core';
import { normaliseClassName } from '../class-name.js';
import { SplitError } from '../errors.js';
import { classCount } from './class-count.js';
import { holdOutValidation } from './load-split.js';

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Every class of the dataset (normalised here). */
  classes: readonly string[];
  /** Unseen classes: a count, or a share of all classes. */
  unseen: number;
  /** Validation classes taken from the seen ones: a count, or a share of the seen classes. Default 0. */
  validation?: number;
  seed: number | string;
  /** Default `random-<unseen>-seed-<seed>`. */
  name?: string;
}

/**
 * A seeded random zero-shot split: the same classes and seed always give the same split,
 * whatever order the classes come in (they are sorted first).
 *
 * @throws {SplitError} for counts that do not fit, or duplicate classes.
 */
export function randomSplit(options: RandomSplitOptions): Split {
  const classes = [...new Set(options.classes.map(normaliseClassName))].sort();
  if (classes.length !== options.classes.length) {
    throw new SplitError('randomSplit: classes has duplicates once names are normalised');
  }
  const nUnseen = classCount('randomSplit unseen', options.unseen, classes.length);
  const rng = createRng(options.seed);
  const picked = new Set(rng.sample(classes.length, nUnseen));
  const unseen = classes.filter((_, i) => picked.has(i));
  const seen = classes.filter((_, i) => !picked.has(i));
  const nVal = classCount('randomSplit validation', options.validation ?? 0, seen.length);
  const held = holdOutValidation(seen, nVal, `${options.seed}/validation`);
  return {
    name: options.name ?? `random-${nUnseen}-seed-${options.seed}`,
    seen: held.seen,
    unseen,
    validation: held.validation,
  };
}
