import { describe, expect, it } from 'vitest';
import { SplitError } from '../errors.js';
import { loadSplit } from './load-split.js';
import { SPLIT_FILES } from './split-file.js';

describe('loadSplit', () => {
  it('returns the shipped split with no validation by default', () => {
    const split = loadSplit({ dataset: 'sketchy', name: 'sake' });
    expect(split.name).toBe('sake');
    expect(split.unseen).toEqual(SPLIT_FILES['sketchy/sake']!.unseen);
    expect(split.seen).toEqual(SPLIT_FILES['sketchy/sake']!.seen);
    expect(split.validation).toEqual([]);
  });

  it('holds out validation classes from the seen ones, seeded', () => {
    const a = loadSplit({ dataset: 'tu-berlin', name: 'sem-pcyc', validation: 0.1, seed: 3 });
    const b = loadSplit({ dataset: 'tu-berlin', name: 'sem-pcyc', validation: 22, seed: 3 });
    const c = loadSplit({ dataset: 'tu-berlin', name: 'sem-pcyc', validation: 22, seed: 4 });
    expect(a.validation).toHaveLength(22);
    expect(a).toEqual(b);
    expect(c.validation).not.toEqual(a.validation);
    expect(a.seen).toHaveLength(198);
    expect(a.validation.every((v) => SPLIT_FILES['tu-berlin/sem-pcyc']!.seen.includes(v))).toBe(
      true,
    );
    expect(a.seen.some((s) => a.validation.includes(s))).toBe(false);
  });

  it('lists every split class missing from the dataset', () => {
    const classes = SPLIT_FILES['sketchy/yelamarthi']!.classes.filter(
      (c) => c !== 'bat' && c !== 'zebra',
    );
    expect(() => loadSplit({ dataset: 'sketchy', name: 'yelamarthi', classes })).toThrow(
      SplitError,
    );
    expect(() => loadSplit({ dataset: 'sketchy', name: 'yelamarthi', classes })).toThrow(
      /2 class\(es\).*: bat, zebra|zebra, bat/,
    );
    expect(() =>
      loadSplit({
        dataset: 'sketchy',
        name: 'yelamarthi',
        classes: SPLIT_FILES['sketchy/yelamarthi']!.classes,
      }),
    ).not.toThrow();
  });

  it('names the valid splits and datasets', () => {
    expect(() => loadSplit({ dataset: 'tu-berlin', name: 'yelamarthi' })).toThrow(
      /expected one of sem-pcyc, sake/,
    );
    expect(() => loadSplit({ dataset: 'quickdraw' as never, name: 'sake' })).toThrow(
      `loadSplit: option 'dataset' must be one of sketchy, tu-berlin, got "quickdraw"`,
    );
  });
});
