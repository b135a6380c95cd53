import type { Rng } from '@zs-sbir/core';
import { TrainingError } from './errors.js';

/** One batch of sketch-image pairs: row indices into the sketch and image sets, and the class. */
export interface PairBatch {
  /** `[batchSize]` indices into the sketch set. */
  sketch: Int32Array;
  /** `[batchSize]` indices into the image set; `image[i]` has the class of `sketch[i]`. */
  image: Int32Array;
  /** `[batchSize]` class index of each pair. */
  label: Int32Array;
}

/** Options of {@link createPairSampler}. */
export interface PairSamplerOptions {
  /** Class index of each sketch (e.g. `dataset.sketches.map(s => s.label)` or a FeatureSet's labels). */
  sketchLabels: ArrayLike<number>;
  /** Class index of each image. */
  imageLabels: ArrayLike<number>;
  /** Class indices to sample from: the seen classes (`labelIndices(dataset.classes, split.seen)` from `@zs-sbir/data`). */
  classes: readonly number[];
  /** Pairs a batch. */
  batchSize: number;
  /** Classes a batch; default `min(batchSize, classes.length)`. */
  classesPerBatch?: number;
  /** Seeded generator (`createRng(seed)` from `@zs-sbir/core`). */
  rng: Rng;
}

/** A class-balanced pair sampler. */
export interface PairSampler {
  /** The next batch. */
  next(): PairBatch;
  /** Batches that visit every class once. */
  readonly batchesPerClassCycle: number;
}

function byClass(labels: ArrayLike<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    const list = out.get(l);
    if (list) list.push(i);
    else out.set(l, [i]);
  }
  return out;
}

/**
 * Class-balanced sketch-image pairs from the seen classes, as ZS-SBIR training draws them
 * (SEM-PCYC and Doodle2Search weight samples by inverse class frequency): classes are visited in
 * shuffled cycles, `classesPerBatch` a batch, each getting an equal share of the batch (the
 * remainder to the first ones); within a class, sketch and image are drawn uniformly with
 * replacement. The same seed gives the same batches.
 *
 * @throws {TrainingError} when a class has no sketch or no image, or the sizes do not fit.
 */
export function createPairSampler(options: PairSamplerOptions): PairSampler {
  const { batchSize, rng } = options;
  const classes = [...new Set(options.classes)];
  if (classes.length === 0) throw new TrainingError('createPairSampler: classes is empty');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TrainingError(
      `createPairSampler: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  const perBatch = options.classesPerBatch ?? Math.min(batchSize, classes.length);
  if (
    !Number.isInteger(perBatch) ||
    perBatch < 1 ||
    perBatch > Math.min(batchSize, classes.length)
  ) {
    throw new TrainingError(
      `createPairSampler: classesPerBatch must be 1..${Math.min(batchSize, classes.length)}, got ${perBatch}`,
    );
  }
  const sketches = byClass(options.sketchLabels);
  const images = byClass(options.imageLabels);
  const empty = classes.filter((c) => !sketches.has(c) || !images.has(c));
  if (empty.length > 0) {
    throw new TrainingError(
      `createPairSampler: classes without sketches or images: ${empty.join(', ')}`,
    );
  }
  let cycle: number[] = [];
  const nextClasses = (): number[] => {
    const out: number[] = [];
    while (out.length < perBatch) {
      if (cycle.length === 0) cycle = rng.shuffle([...classes]);
      const c = cycle.pop()!;
      if (!out.includes(c)) out.push(c);
      else cycle.unshift(c);
    }
    return out;
  };
  return {
    batchesPerClassCycle: Math.ceil(classes.length / perBatch),
    next: () => {
      const chosen = nextClasses();
      const sketch = new Int32Array(batchSize);
      const image = new Int32Array(batchSize);
      const label = new Int32Array(batchSize);
      let row = 0;
      chosen.forEach((c, k) => {
        const share = Math.floor(batchSize / perBatch) + (k < batchSize % perBatch ? 1 : 0);
        const sk = sketches.get(c)!;
        const im = images.get(c)!;
        for (let j = 0; j < share; j++, row++) {
          sketch[row] = sk[rng.int(sk.length)]!;
          image[row] = im[rng.int(im.length)]!;
          label[row] = c;
        }
      });
      return { sketch, image, label };
    },
  };
}
