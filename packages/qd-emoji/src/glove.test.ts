import { describe, expect, it } from 'vitest';
import { QD_EMOJI_CLASSES } from './class-list.js';
import { cosine } from './cosine.testkit.js';
import { QdEmojiError } from './errors.js';
import { GLOVE_DIMENSIONS, gloveVectors } from './glove.js';

describe('gloveVectors', () => {
  it('has a finite, non-zero 100-d vector for every class', () => {
    const vectors = gloveVectors(QD_EMOJI_CLASSES.map((c) => c.name));
    expect(vectors.size).toBe(QD_EMOJI_CLASSES.length);
    for (const [name, v] of vectors) {
      expect(v, name).toHaveLength(GLOVE_DIMENSIONS);
      expect(v.every(Number.isFinite), name).toBe(true);
      expect(
        v.some((x) => x !== 0),
        name,
      ).toBe(true);
    }
  });

  it('carries word meaning: related classes are closer than unrelated ones', () => {
    const v = gloveVectors(['cat', 'dog', 'airplane', 'helicopter', 'banana', 'pear']);
    expect(cosine(v.get('cat')!, v.get('dog')!)).toBeGreaterThan(
      cosine(v.get('cat')!, v.get('airplane')!),
    );
    expect(cosine(v.get('airplane')!, v.get('helicopter')!)).toBeGreaterThan(
      cosine(v.get('airplane')!, v.get('banana')!),
    );
    expect(cosine(v.get('banana')!, v.get('pear')!)).toBeGreaterThan(
      cosine(v.get('banana')!, v.get('dog')!),
    );
  });

  it('names a class that has no vector', () => {
    expect(() => gloveVectors(['unicorn'])).toThrow(QdEmojiError);
    expect(() => gloveVectors(['unicorn'])).toThrow(/unicorn/);
  });
});
