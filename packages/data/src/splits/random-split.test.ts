import { describe, expect, it } from 'vitest';
import { SplitError } from '../errors.js';
import { randomSplit } from './random-split.js';

const classes = Array.from({ length: 40 }, (_, i) => `Class ${String(i).padStart(2, '0')}`);

describe('randomSplit', () => {
  it('partitions the normalised classes into seen, unseen and validation', () => {
    const s = randomSplit({ classes, unseen: 10, validation: 0.2, seed: 1 });
    expect(s.unseen).toHaveLength(10);
    expect(s.validation).toHaveLength(6);
    expect(s.seen).toHaveLength(24);
    const all = [...s.seen, ...s.unseen, ...s.validation].sort();
    expect(all).toEqual(classes.map((c) => c.toLowerCase().replace(' ', '_')).sort());
    expect(s.name).toBe('random-10-seed-1');
  });

  it('depends on the seed, not on the order of the classes', () => {
    const a = randomSplit({ classes, unseen: 0.25, seed: 'x' });
    const b = randomSplit({ classes: [...classes].reverse(), unseen: 10, seed: 'x' });
    const c = randomSplit({ classes, unseen: 10, seed: 'y' });
    expect(a.unseen).toEqual(b.unseen);
    expect(c.unseen).not.toEqual(a.unseen);
  });

  it('refuses counts that do not fit and duplicate names', () => {
    expect(() => randomSplit({ classes, unseen: 41, seed: 0 })).toThrow(SplitError);
    expect(() => randomSplit({ classes, unseen: 2.5, seed: 0 })).toThrow(/randomSplit unseen/);
    expect(() => randomSplit({ classes: ['Cat', 'cat'], unseen: 1, seed: 0 })).toThrow(
      /duplicates/,
    );
  });
});
