/**
 * Shared shapes that the data, backbone and recipe packages implement. Kept small on purpose.
 */

/** A zero-shot split of class names (normalised): test classes are never seen in training. */
export interface Split {
  /** e.g. `sem-pcyc`, `sake`, `random-seed-3`. */
  name: string;
  /** Classes trained on (validation classes excluded). */
  seen: string[];
  /** Test classes, never seen in training. */
  unseen: string[];
  /** Held-out seen classes for model selection and early stopping. */
  validation: string[];
}

/** One sketch or image of a dataset: a file on disk or pixels in memory, and a class index. */
export interface Sample {
  /** Path of the file, or a stable identifier for in-memory samples. */
  path: string;
  /** Index into {@link Dataset.classes}. */
  label: number;
  /** Decoded pixels, for samples that do not live in a file. */
  pixels?: Pixels;
}

/** Decoded pixels: `data` is `[height, width, channels]` row-major, values 0-255. */
export interface Pixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** A file a reader could not use, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Every dataset, built-in or user-supplied, has this shape. */
export interface Dataset {
  /** Class names, normalised; labels index this list. */
  classes: string[];
  sketches: Sample[];
  images: Sample[];
  skipped: SkippedFile[];
}
