import { createRng } from '@zs-sbir/core';
import { describe, expect, it } from 'vitest';
import { TrainingError } from './errors.js';
import { createPairSampler } from './pair-sampler.js';

// 6 classes; class c has c + 1 sketches and 2 images. Class 5 is "unseen" and never sampled.
const sketchLabels = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5];
const imageLabels = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
const seen = [0, 1, 2, 3, 4];

function sampler(seed: number, batchSize = 6, classesPerBatch?: number) {
  return createPairSampler({
    sketchLabels,
    imageLabels,
    classes: seen,
    batchSize,
    ...(classesPerBatch ? { classesPerBatch } : {}),
    rng: createRng(seed),
  });
}

describe('createPairSampler', () => {
  it('pairs a sketch and an image of the same seen class', () => {
    const s = sampler(1);
    for (let b = 0; b < 20; b++) {
      const { sketch, image, label } = s.next();
      for (let i = 0; i < label.length; i++) {
        expect(sketchLabels[sketch[i]!]).toBe(label[i]);
        expect(imageLabels[image[i]!]).toBe(label[i]);
        expect(seen).toContain(label[i]);
      }
    }
  });

  it('balances classes: equal shares a batch, every class once a cycle', () => {
    const s = sampler(2, 7, 2);
    expect(s.batchesPerClassCycle).toBe(3);
    const counts = new Map<number, number>();
    for (let b = 0; b < 5; b++) {
      const { label } = s.next();
      const inBatch = [...new Set(label)];
      expect(inBatch).toHaveLength(2);
      const shares = inBatch.map((c) => label.filter((l) => l === c).length).sort();
      expect(shares).toEqual([3, 4]);
      for (const c of inBatch) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    // 5 batches x 2 classes = two full cycles over 5 classes.
    expect([...counts.values()]).toEqual([2, 2, 2, 2, 2]);
  });

  it('is reproducible from the seed', () => {
    const a = sampler(3).next();
    const b = sampler(3).next();
    const c = sampler(4).next();
    expect(a).toEqual(b);
    expect([...a.sketch, ...a.image]).not.toEqual([...c.sketch, ...c.image]);
  });

  it('refuses classes that cannot be paired', () => {
    expect(() =>
      createPairSampler({
        sketchLabels,
        imageLabels: [0],
        classes: [0, 3],
        batchSize: 2,
        rng: createRng(0),
      }),
    ).toThrow(/without sketches or images: 3/);
    expect(() => sampler(0, 4, 5)).toThrow(TrainingError);
  });
});
