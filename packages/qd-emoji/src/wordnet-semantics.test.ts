import { wordnetHierarchyEmbeddings } from '@zs-sbir/data';
import { describe, expect, it } from 'vitest';
import { QD_EMOJI_CLASSES } from './class-list.js';
import { cosine } from './cosine.testkit.js';
import { QD_EMOJI_SYNSETS, wordnetEmbeddings } from './wordnet-semantics.js';

describe('wordnetEmbeddings', () => {
  it('finds a synset for every class, with one vector length', async () => {
    const vectors = await wordnetEmbeddings(QD_EMOJI_CLASSES.map((c) => c.name));
    expect(vectors.size).toBe(QD_EMOJI_CLASSES.length);
    const lengths = new Set([...vectors.values()].map((v) => v.length));
    expect(lengths.size).toBe(1);
    expect(Object.keys(QD_EMOJI_SYNSETS).every((c) => vectors.has(c))).toBe(true);
  });

  it('uses the drawn-object senses: tiger the animal is close to cat, the first sense is not', async () => {
    const classes = ['tiger', 'cat', 'whale', 'dolphin', 'car'];
    const ours = await wordnetEmbeddings(classes, 'wup');
    const firstSenses = await wordnetHierarchyEmbeddings(classes, { similarity: 'wup' });
    const tigerCat = cosine(ours.get('tiger')!, ours.get('cat')!);
    expect(tigerCat).toBeGreaterThan(cosine(firstSenses.get('tiger')!, firstSenses.get('cat')!));
    expect(tigerCat).toBeGreaterThan(cosine(ours.get('tiger')!, ours.get('car')!));
    expect(cosine(ours.get('whale')!, ours.get('dolphin')!)).toBeGreaterThan(
      cosine(firstSenses.get('whale')!, firstSenses.get('dolphin')!),
    );
  });
});
