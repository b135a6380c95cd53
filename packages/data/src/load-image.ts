import { integerSchema, oneOfSchema, type Pixels, validate } from '@zs-sbir/core';
import sharp, { type Sharp } from 'sharp';
import * as v from 'valibot';
import { NO_AUGMENT } from './augment.js';
import { ImageError } from './errors.js';
import {
  type AugmentDraw,
  FITS,
  type ImageOptions,
  RESIZE_KERNELS,
  type ResizeKernel,
} from './image-options.js';
import { NORMALISATIONS, normalisePixels } from './normalisation.js';

const SHARP_FIT = { pad: 'contain', stretch: 'fill', cover: 'cover' } as const;

function sharpInput(source: string | Pixels): Sharp {
  if (typeof source === 'string') return sharp(source, { failOn: 'warning' });
  const { data, width, height, channels } = source;
  if (data.length !== width * height * channels) {
    throw new ImageError(
      `pixels: expected ${width}x${height}x${channels} = ${width * height * channels} values, got ${data.length}`,
    );
  }
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return sharp(buffer, { raw: { width, height, channels } });
}

// ImageOptions as decodeImage checks them (other keys, e.g. of ImageBatchOptions, pass through).
const IMAGE_OPTIONS = v.object({
  size: integerSchema(),
  fit: v.optional(oneOfSchema(FITS)),
  normalisation: v.optional(oneOfSchema(NORMALISATIONS)),
  invert: v.optional(v.boolean()),
  background: v.optional(v.string()),
  kernel: v.optional(oneOfSchema(RESIZE_KERNELS)),
});

function checkOptions(options: ImageOptions): void {
  validate(IMAGE_OPTIONS, options, { where: 'decodeImage', error: ImageError });
}

/**
 * Decodes a file (PNG, JPEG, WebP, SVG, GIF, TIFF: whatever libvips reads) or in-memory pixels
 * to `[size, size, 3]` RGB bytes: alpha flattened on the background, augmentation applied
 * (rotation on the full image, then flip, resize and crop), fitted to the square.
 *
 * @throws the decoder's error for unreadable or corrupt files; {@link ImageError} for bad options.
 */
export async function decodeImage(
  source: string | Pixels,
  options: ImageOptions,
  augment: AugmentDraw = NO_AUGMENT,
): Promise<Uint8Array> {
  checkOptions(options);
  const { size } = options;
  const background = options.background ?? '#ffffff';
  const kernel: ResizeKernel = options.kernel ?? 'linear';
  let image = sharpInput(source).flatten({ background });
  if (augment.angle !== 0) {
    // Rotating enlarges the canvas; materialise it so the resize below sees the rotated image.
    const rotated = await image
      .rotate(augment.angle, { background })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = rotated.info;
    image = sharp(rotated.data, { raw: { width, height, channels } });
  }
  if (augment.flip) image = image.flop();
  const side = augment.crop < 1 ? Math.max(size, Math.round(size / augment.crop)) : size;
  image = image.resize(side, side, { fit: SHARP_FIT[options.fit ?? 'pad'], background, kernel });
  if (side > size) {
    const free = side - size;
    image = image.extract({
      left: Math.floor(augment.cropX * (free + 1)),
      top: Math.floor(augment.cropY * (free + 1)),
      width: size,
      height: size,
    });
  }
  const { data, info } = await image
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new ImageError(
      `decoder returned ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Loads one image as a network input.
 *
 * @param source - a file path or decoded {@link Pixels}.
 * @returns `[size, size, 3]` row-major floats (HWC), normalised as `options.normalisation`
 *   (default `unit`); BGR channel order for `caffe`.
 * @throws the decoder's error for unreadable files; {@link ImageError} for bad options.
 */
export async function loadImage(
  source: string | Pixels,
  options: ImageOptions,
  augment: AugmentDraw = NO_AUGMENT,
): Promise<Float32Array> {
  const rgb = await decodeImage(source, options, augment);
  const out = new Float32Array(rgb.length);
  normalisePixels(rgb, options.normalisation ?? 'unit', out, 0, options.invert ?? false);
  return out;
}
