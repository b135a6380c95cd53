import type { Rng, Sample, SkippedFile } from '@zs-sbir/core';
import { drawAugment, NO_AUGMENT } from './augment.js';
import { ImageError } from './errors.js';
import type { AugmentDraw, AugmentOptions, ImageOptions } from './image-options.js';
import { decodeImage } from './load-image.js';
import { normalisePixels } from './normalisation.js';

/** One batch of decoded images. */
export interface ImageBatch {
  /** Batch number: batch `i` covers `samples[i * batchSize ..]` of the input. */
  index: number;
  /** `[count, size, size, 3]` row-major floats, normalised; skipped files are left out. */
  data: Float32Array;
  /** Rows in `data`. */
  count: number;
  /** The samples in `data`, in row order. */
  samples: Sample[];
  /** Samples of this batch that could not be decoded, with the reason. */
  skipped: SkippedFile[];
}

/** Options of {@link imageBatches}. */
export interface ImageBatchOptions extends ImageOptions {
  /** Samples a batch (the last may be smaller). */
  batchSize: number;
  /** Images decoded at once, at most; default 4. Memory stays bounded by it and `batchSize`. */
  concurrency?: number;
  /** Augmentations; needs `rng`. */
  augment?: AugmentOptions;
  /** Seeded generator for augmentations, drawn in sample order. */
  rng?: Rng;
  /** Throw {@link ImageError} on the first unreadable file instead of skipping it. */
  strict?: boolean;
  /** Called for every skipped file, as it is found. */
  onSkip?: (skipped: SkippedFile) => void;
  /**
   * First batch to produce, to resume an interrupted run; default 0. The augmentations of the
   * skipped samples are still drawn, so a resumed run with the same seed matches the full one.
   */
  startBatch?: number;
}

type Decoded = { ok: true; rgb: Uint8Array } | { ok: false; reason: string };

function checkBatchOptions(options: ImageBatchOptions): void {
  const { batchSize, concurrency = 4, startBatch = 0 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ImageError(`batchSize: expected a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ImageError(`concurrency: expected a positive integer, got ${concurrency}`);
  }
  if (!Number.isInteger(startBatch) || startBatch < 0) {
    throw new ImageError(`startBatch: expected an integer >= 0, got ${startBatch}`);
  }
  if (options.augment && !options.rng) {
    throw new ImageError('augment: needs a seeded rng (createRng(seed) from @zs-sbir/core)');
  }
}

/**
 * Streams samples as batches of network inputs. At most `concurrency` images are decoded at
 * once, and decoding of the next images goes on while the caller works on the current batch,
 * so memory does not grow with the dataset. A file that cannot be decoded is reported in the
 * batch's `skipped` (and to `onSkip`) and left out of `data`, unless `strict` is set.
 *
 * @example
 * for await (const batch of imageBatches(dataset.images, { size: 224, batchSize: 32 })) {
 *   // batch.data: Float32Array [batch.count, 224, 224, 3]
 * }
 */
export async function* imageBatches(
  samples: Sample[],
  options: ImageBatchOptions,
): AsyncGenerator<ImageBatch> {
  checkBatchOptions(options);
  const { batchSize, concurrency = 4, startBatch = 0, size } = options;
  const pixelsPerImage = size * size * 3;
  const mode = options.normalisation ?? 'unit';
  const invert = options.invert ?? false;
  const inFlight = new Map<number, Promise<Decoded>>();
  let nextToStart = Math.min(startBatch * batchSize, samples.length);
  if (options.augment && options.rng) {
    for (let i = 0; i < nextToStart; i++) drawAugment(options.augment, options.rng);
  }

  const start = (i: number): void => {
    const sample = samples[i]!;
    const draw: AugmentDraw =
      options.augment && options.rng ? drawAugment(options.augment, options.rng) : NO_AUGMENT;
    const job = decodeImage(sample.pixels ?? sample.path, options, draw).then(
      (rgb): Decoded => ({ ok: true, rgb }),
      (err: unknown): Decoded => ({ ok: false, reason: (err as Error).message ?? String(err) }),
    );
    inFlight.set(i, job);
  };
  const fill = (upTo: number): void => {
    while (nextToStart < samples.length && nextToStart < upTo) start(nextToStart++);
  };

  for (let b = startBatch; b * batchSize < samples.length; b++) {
    const first = b * batchSize;
    const last = Math.min(first + batchSize, samples.length);
    const data = new Float32Array((last - first) * pixelsPerImage);
    const kept: Sample[] = [];
    const skipped: SkippedFile[] = [];
    for (let i = first; i < last; i++) {
      fill(i + concurrency);
      const result = await inFlight.get(i)!;
      inFlight.delete(i);
      const sample = samples[i]!;
      if (!result.ok) {
        if (options.strict) {
          throw new ImageError(`cannot decode ${sample.path}: ${result.reason}`);
        }
        const skip = { path: sample.path, reason: result.reason };
        skipped.push(skip);
        options.onSkip?.(skip);
        continue;
      }
      normalisePixels(result.rgb, mode, data, kept.length * pixelsPerImage, invert);
      kept.push(sample);
    }
    const count = kept.length;
    yield {
      index: b,
      data: count * pixelsPerImage === data.length ? data : data.slice(0, count * pixelsPerImage),
      count,
      samples: kept,
      skipped,
    };
  }
}
