import type { Normalisation } from './normalisation.js';

/**
 * How an image becomes a square input:
 * - `pad` (default): the whole image, scaled to fit, centred on the background colour;
 * - `stretch`: scaled to the square, aspect ratio lost;
 * - `cover`: scaled to cover the square, the overflow cropped evenly (centre crop).
 */
export type Fit = 'pad' | 'stretch' | 'cover';

/** Every {@link Fit}, for option checks. */
export const FITS: readonly Fit[] = ['pad', 'stretch', 'cover'];

/** Resampling filter (sharp's kernels); `linear` matches PIL / torchvision bilinear resizing. */
export type ResizeKernel = 'nearest' | 'linear' | 'cubic' | 'lanczos3';

/** Every {@link ResizeKernel}, for option checks. */
export const RESIZE_KERNELS: readonly ResizeKernel[] = ['nearest', 'linear', 'cubic', 'lanczos3'];

/** How to turn a file or pixels into a network input. */
export interface ImageOptions {
  /** Side of the square output, in pixels (e.g. 224). */
  size: number;
  /** Default `pad` (on {@link ImageOptions.background}). */
  fit?: Fit;
  /** Default `unit` ([0, 1]). */
  normalisation?: Normalisation;
  /**
   * Invert the pixels (`255 - v`) after resizing, as SEM-PCYC does for sketches (white strokes on
   * black); padding is inverted too, so a padded sketch sits on black. Default false.
   */
  invert?: boolean;
  /** CSS colour that transparency is flattened on and padding is filled with; default `#ffffff`. */
  background?: string;
  /** Resampling filter; default `linear`. */
  kernel?: ResizeKernel;
}

/**
 * Augmentations used in ZS-SBIR training (SEM-PCYC, SAKE, Doodle2Search): random horizontal flip,
 * a small random rotation and a random crop. Parameters are drawn from a seeded generator in
 * sample order, so a run is the same whatever the decoding concurrency.
 */
export interface AugmentOptions {
  /** Flip left-right with probability 0.5. */
  flip?: boolean;
  /** Maximum rotation in degrees; the angle is uniform in [-rotate, rotate]. 0 or absent: none. */
  rotate?: number;
  /**
   * Kept share of the side, in (0, 1]: the image is resized to `size / crop` and a random
   * `size` x `size` window is cut (e.g. 0.875 = 256 -> 224). 1 or absent: none.
   */
  crop?: number;
}

/** The augmentation drawn for one sample. */
export interface AugmentDraw {
  flip: boolean;
  /** Degrees, clockwise. */
  angle: number;
  /** Crop window position, each in [0, 1): share of the free margin left of / above the window. */
  cropX: number;
  cropY: number;
  /** Kept share of the side (1: no crop). */
  crop: number;
}
