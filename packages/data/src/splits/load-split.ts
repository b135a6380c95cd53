import { createRng, type Split } from '@zs-sbir/core';
import { assertOneOf } from '../assert-one-of.js';
import { SplitError } from '../errors.js';
import { checkSplitClasses } from './check-split.js';
import { classCount } from './class-count.js';
import { SPLIT_FILES, type SplitDataset, type SplitName } from './split-file.js';

/** Options of {@link loadSplit}. */
export interface LoadSplitOptions {
  dataset: SplitDataset;
  name: SplitName;
  /** The dataset's classes; when given, a split class missing from them is an error. */
  classes?: readonly string[];
  /**
   * Seen classes held out for validation: a count, or a share of the seen classes. Drawn with
   * `seed`. Default 0 (the published splits define no validation classes of their own outside
   * the unseen ones).
   */
  validation?: number;
  /** Seed of the validation draw; default 0. */
  seed?: number | string;
}

const DATASETS: readonly SplitDataset[] = ['sketchy', 'tu-berlin'];

/**
 * Holds `count` classes of `seen` out for validation, drawn with a seeded generator; both lists
 * come back sorted.
 */
export function holdOutValidation(
  seen: readonly string[],
  count: number,
  seed: number | string,
): { seen: string[]; validation: string[] } {
  const picked = new Set(createRng(seed).sample(seen.length, count));
  return {
    seen: seen.filter((_, i) => !picked.has(i)).sort(),
    validation: seen.filter((_, i) => picked.has(i)).sort(),
  };
}

/**
 * Loads a published zero-shot split, shipped with this package (see `data/splits/`):
 * - `sem-pcyc`: SEM-PCYC's numpy-seed-0 split (Sketchy 25 unseen, TU-Berlin 30);
 * - `sake`: SAKE's split (Sketchy 25, TU-Berlin 30);
 * - `yelamarthi`: Yelamarthi et al.'s 21 unseen Sketchy classes (Sketchy only).
 *
 * @throws {SplitError} for an unknown dataset or split, or classes missing from `classes`.
 */
export function loadSplit(options: LoadSplitOptions): Split {
  assertOneOf('loadSplit', 'dataset', options.dataset, DATASETS, SplitError);
  const file = SPLIT_FILES[`${options.dataset}/${options.name}`];
  if (!file) {
    const names = Object.keys(SPLIT_FILES)
      .filter((k) => k.startsWith(`${options.dataset}/`))
      .map((k) => k.slice(options.dataset.length + 1));
    throw new SplitError(
      `loadSplit: no split '${options.name}' for ${options.dataset}, expected one of ${names.join(', ')}`,
    );
  }
  const count = classCount('loadSplit validation', options.validation ?? 0, file.seen.length);
  const held = holdOutValidation(file.seen, count, options.seed ?? 0);
  const split: Split = {
    name: file.name,
    seen: held.seen,
    unseen: [...file.unseen],
    validation: held.validation,
  };
  if (options.classes) checkSplitClasses(split, options.classes);
  return split;
}
