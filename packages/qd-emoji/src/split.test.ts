import type { Split } from '@zs-sbir/core';
import { describe, expect, it } from 'vitest';
import { QD_EMOJI_CLASSES } from './class-list.js';
import { QdEmojiError } from './errors.js';
import { DEFAULT_SPLIT, groupedRandomSplit, NEAR_SYNONYM_GROUPS, restrictSplit } from './split.js';

const ALL = QD_EMOJI_CLASSES.map((c) => c.name);

/** Every class in exactly one list, and nothing else. */
function expectPartition(split: Split, classes: readonly string[]) {
  const listed = [...split.seen, ...split.unseen, ...split.validation];
  expect(listed.sort()).toEqual([...classes].sort());
}

/** Every near-synonym group lies within one list. */
function expectGroupsTogether(split: Split) {
  const side = new Map<string, string>();
  for (const key of ['seen', 'unseen', 'validation'] as const) {
    for (const c of split[key]) side.set(c, key);
  }
  for (const group of NEAR_SYNONYM_GROUPS) {
    const sides = new Set(group.filter((c) => side.has(c)).map((c) => side.get(c)));
    expect(sides.size, group.join(',')).toBeLessThanOrEqual(1);
  }
}

describe('DEFAULT_SPLIT', () => {
  it('covers every class once, about 25% unseen, near-synonyms on one side', () => {
    expect(DEFAULT_SPLIT.name).toBe('qd-emoji-default');
    expectPartition(DEFAULT_SPLIT, ALL);
    expect(DEFAULT_SPLIT.unseen).toHaveLength(Math.round(0.25 * ALL.length));
    expect(DEFAULT_SPLIT.validation).toHaveLength(
      Math.round(0.15 * (ALL.length - DEFAULT_SPLIT.unseen.length)),
    );
    expectGroupsTogether(DEFAULT_SPLIT);
  });
});

describe('groupedRandomSplit', () => {
  it('is disjoint and covering, with the default proportions', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const split = groupedRandomSplit(ALL, seed);
      expectPartition(split, ALL);
      expect(split.unseen).toHaveLength(40);
      expect(split.validation).toHaveLength(18);
      expect(split.name).toBe(`qd-emoji-seed-${seed}`);
      expectGroupsTogether(split);
    }
  });

  it('gives the same split for the same seed and another for another seed', () => {
    expect(groupedRandomSplit(ALL, 7)).toEqual(groupedRandomSplit([...ALL].reverse(), 7));
    expect(groupedRandomSplit(ALL, 8).unseen).not.toEqual(groupedRandomSplit(ALL, 7).unseen);
  });

  it('keeps a group whole even when it must skip it to hit the target', () => {
    const groups = [['a', 'b', 'c']];
    const classes = ['a', 'b', 'c', 'd'];
    for (let seed = 0; seed < 20; seed++) {
      const split = groupedRandomSplit(classes, seed, {
        groups,
        unseenShare: 0.25,
        validationShare: 0,
      });
      // Target is 1 unseen class: the group of 3 never fits, so d is always the unseen class.
      expect(split.unseen).toEqual(['d']);
      expect(split.seen).toEqual(['a', 'b', 'c']);
    }
  });

  it('rejects shares outside [0, 1) and non-finite seeds', () => {
    expect(() => groupedRandomSplit(ALL, 0, { unseenShare: 1 })).toThrow(QdEmojiError);
    expect(() => groupedRandomSplit(ALL, 0, { validationShare: -0.1 })).toThrow(
      "groupedRandomSplit: option 'validationShare' must be a finite number >= 0 and < 1, got -0.1",
    );
    expect(() => groupedRandomSplit(ALL, Number.NaN)).toThrow(
      "groupedRandomSplit: argument 'seed' must be a finite number, got NaN",
    );
  });
});

describe('restrictSplit', () => {
  it('keeps only the given classes, in each list', () => {
    const split = { name: 's', seen: ['a', 'b'], unseen: ['c'], validation: ['d'] };
    expect(restrictSplit(split, ['b', 'c'])).toEqual({
      name: 's',
      seen: ['b'],
      unseen: ['c'],
      validation: [],
    });
  });
});
