import { createRng, numberSchema, type Split, validate } from '@zs-sbir/core';
import * as v from 'valibot';
import nearSynonyms from '../data/near-synonyms.json';
import defaultSplit from '../data/split-default.json';
import { QdEmojiError } from './errors.js';

/** Share of classes that are unseen (test) classes in every QD-Emoji split. */
export const UNSEEN_SHARE = 0.25;
/** Share of the remaining (training-side) classes held out for validation. */
export const VALIDATION_SHARE = 0.15;

/**
 * Groups of near-synonym classes (WordNet 3.1: shared synset, hypernym within 2 steps, or a
 * compound named after another class) that every QD-Emoji split keeps on one side, from
 * `data/near-synonyms.json` (written by `scripts/near-synonyms.mjs`).
 */
export const NEAR_SYNONYM_GROUPS: readonly (readonly string[])[] = nearSynonyms.groups;

/**
 * The fixed default split `qd-emoji-default`, committed as `data/split-default.json`: about 25%
 * of the classes unseen, 15% of the rest for validation, near-synonyms on one side.
 */
export const DEFAULT_SPLIT: Split = defaultSplit;

/** Options of {@link groupedRandomSplit}. */
export interface GroupedSplitOptions {
  /** Default {@link UNSEEN_SHARE}. */
  unseenShare?: number;
  /** Default {@link VALIDATION_SHARE}. */
  validationShare?: number;
  /** Default {@link NEAR_SYNONYM_GROUPS}. */
  groups?: readonly (readonly string[])[];
}

const share = numberSchema({ min: 0, max: 1, maxExclusive: true });
const SPLIT_OPTIONS = v.object({
  unseenShare: v.optional(share, UNSEEN_SHARE),
  validationShare: v.optional(share, VALIDATION_SHARE),
});
const SEED = v.object({ seed: numberSchema() });

/**
 * A seeded random zero-shot split of `classes`: near-synonym groups are shuffled as units and
 * drawn into `unseen` until it holds round(unseenShare x n) classes (units that would overshoot
 * are passed over), then into `validation` the same way for round(validationShare x rest);
 * everything left is `seen`. Lists are sorted. Named `qd-emoji-seed-<seed>`.
 *
 * @throws QdEmojiError when a share is outside [0, 1) or `seed` is not a finite number.
 */
export function groupedRandomSplit(
  classes: readonly string[],
  seed: number,
  options: GroupedSplitOptions = {},
): Split {
  const where = 'groupedRandomSplit';
  const { unseenShare, validationShare } = validate(SPLIT_OPTIONS, options, {
    where,
    error: QdEmojiError,
  });
  validate(SEED, { seed }, { where, noun: 'argument', error: QdEmojiError });
  const units = groupUnits(classes, options.groups ?? NEAR_SYNONYM_GROUPS);
  createRng(`qd-emoji-split:${seed}`).shuffle(units);
  const unseen = fill(units, Math.round(unseenShare * classes.length));
  const validation = fill(units, Math.round(validationShare * (classes.length - unseen.length)));
  return {
    name: `qd-emoji-seed-${seed}`,
    seen: units.flat().sort(),
    unseen: unseen.sort(),
    validation: validation.sort(),
  };
}

/**
 * `split` restricted to `classes` (for builds of a subset of classes); the name is kept.
 */
export function restrictSplit(split: Split, classes: readonly string[]): Split {
  const keep = new Set(classes);
  const only = (list: string[]) => list.filter((c) => keep.has(c));
  return {
    name: split.name,
    seen: only(split.seen),
    unseen: only(split.unseen),
    validation: only(split.validation),
  };
}

/** `classes` partitioned into units: each near-synonym group (restricted) or a single class. */
function groupUnits(
  classes: readonly string[],
  groups: readonly (readonly string[])[],
): string[][] {
  const unitOf = new Map<string, string[]>();
  const units: string[][] = [];
  const present = new Set(classes);
  for (const group of groups) {
    const unit = group.filter((c) => present.has(c) && !unitOf.has(c));
    if (unit.length === 0) continue;
    units.push(unit);
    for (const c of unit) unitOf.set(c, unit);
  }
  for (const c of classes) {
    if (!unitOf.has(c)) {
      const unit = [c];
      units.push(unit);
      unitOf.set(c, unit);
    }
  }
  return units.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Takes units out of `units` (in order) into a list of at most `target` classes. */
function fill(units: string[][], target: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < units.length && out.length < target; ) {
    const unit = units[i]!;
    if (out.length + unit.length <= target) {
      out.push(...unit);
      units.splice(i, 1);
    } else {
      i++;
    }
  }
  return out;
}
