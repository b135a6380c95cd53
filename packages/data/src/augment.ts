import type { Rng } from '@zs-sbir/core';
import { ImageError } from './errors.js';
import type { AugmentDraw, AugmentOptions } from './image-options.js';

/** The identity augmentation. */
export const NO_AUGMENT: AugmentDraw = { flip: false, angle: 0, cropX: 0, cropY: 0, crop: 1 };

/**
 * Draws one sample's augmentation from `rng`. Always four draws (flip, angle, x, y), whatever is
 * enabled, so turning one augmentation on does not shift the others' streams.
 *
 * @throws {ImageError} when `crop` is outside (0, 1] or `rotate` is negative.
 */
export function drawAugment(options: AugmentOptions, rng: Rng): AugmentDraw {
  const crop = options.crop ?? 1;
  const rotate = options.rotate ?? 0;
  if (!(crop > 0 && crop <= 1)) {
    throw new ImageError(`augment.crop: expected a share of the side in (0, 1], got ${crop}`);
  }
  if (!(rotate >= 0)) {
    throw new ImageError(`augment.rotate: expected a maximum angle >= 0 degrees, got ${rotate}`);
  }
  const flip = rng.next() < 0.5;
  const angle = rng.uniform(-rotate, rotate);
  const cropX = rng.next();
  const cropY = rng.next();
  return {
    flip: options.flip === true && flip,
    angle: rotate > 0 ? angle : 0,
    cropX: crop < 1 ? cropX : 0,
    cropY: crop < 1 ? cropY : 0,
    crop,
  };
}
