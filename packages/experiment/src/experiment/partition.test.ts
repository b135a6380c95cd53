import type { FeatureSet } from '@zs-sbir/io';
import { describe, expect, it } from 'vitest';
import { partition } from './partition.js';

const fs = (labels: number[], base: number): FeatureSet => ({
  data: Float32Array.from(labels.flatMap((l, i) => [base + i, l])),
  rows: labels.length,
  cols: 2,
  labels: Int32Array.from(labels),
  paths: labels.map((l, i) => `${base}/${l}/${i}`),
});
const classes = ['a', 'b', 'c', 'd'];
const split = { name: 's', seen: ['c', 'a'], validation: ['b'], unseen: ['d'] };

describe('partition', () => {
  it('cuts along the split: seen relabelled in split order, views only in training', () => {
    const p = partition(classes, split, {
      sketch: fs([0, 1, 2, 3, 0], 100),
      image: fs([0, 1, 2, 3], 200),
      views: fs([2, 0], 300),
    });
    expect(Array.from(p.train.sketches.labels)).toEqual([1, 0, 1]);
    expect(Array.from(p.train.images.labels)).toEqual([1, 0, 0, 1]);
    expect(Array.from(p.train.images.data.filter((_, i) => i % 2 === 0))).toEqual([
      200, 202, 300, 301,
    ]);
    expect(Array.from(p.validation.queries.labels)).toEqual([1]);
    expect(Array.from(p.test.gallery.labels)).toEqual([3]);
    expect(p.test.gallery.paths).toEqual(['200/3/3']);
  });

  it('names seen classes that have no sketch or no image', () => {
    expect(() =>
      partition(classes, split, {
        sketch: fs([0, 1, 3], 0),
        image: fs([0, 2, 3], 0),
        views: fs([], 0),
      }),
    ).toThrow('seen classes without sketch or image features: c');
  });
});
