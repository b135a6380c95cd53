import { createRng, type Sample } from '@zs-sbir/core';
import type { Experiment } from '../experiment/open-experiment.js';

export const TOY_CLASSES = ['cat', 'dog', 'owl', 'fox', 'bee'];
export const TOY_SPLIT = {
  name: 'toy',
  seen: ['cat', 'dog'],
  validation: ['owl', 'fox'],
  unseen: ['bee'],
};

/** In-memory samples, 3 per class; those of `forbidden` classes throw when their pixels are read. */
function samples(prefix: string, seed: number, forbidden: readonly string[]): Sample[] {
  const rng = createRng(seed);
  return TOY_CLASSES.flatMap((name, label) =>
    Array.from({ length: 3 }, (_, i) => {
      const pixels = {
        data: Uint8Array.from({ length: 20 * 20 * 3 }, () => (rng.int(128) + label * 30) % 256),
        width: 20,
        height: 20,
        channels: 3 as const,
      };
      const sample = { path: `${prefix}-${name}-${i}`, label } as Sample;
      Object.defineProperty(sample, 'pixels', {
        enumerable: true,
        get: () => {
          if (forbidden.includes(name)) throw new Error(`sample ${sample.path} was read`);
          return pixels;
        },
      });
      return sample;
    }),
  );
}

/**
 * A 5-class experiment of random 20x20 samples (the same pixels on every call), split into
 * {@link TOY_SPLIT}; reading a sample of a `forbidden` class (default the test class) throws.
 */
export function toyExperiment(forbidden: readonly string[] = TOY_SPLIT.unseen): Experiment {
  return {
    name: 'toy',
    dataset: {
      classes: TOY_CLASSES,
      sketches: samples('s', 1, forbidden),
      images: samples('i', 2, forbidden),
      skipped: [],
    },
    split: TOY_SPLIT,
    trainViews: [],
    sideInfo: new Map(),
    sideInfoDescription: '',
  };
}
