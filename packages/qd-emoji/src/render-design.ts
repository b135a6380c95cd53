import sharp from 'sharp';
import type { DesignInput } from './design-source.js';
import { QdEmojiError } from './errors.js';

/** Raw RGBA pixels of a rendered design, `[size, size, 4]` row-major, transparent background. */
export interface DesignRgba {
  data: Buffer;
  size: number;
}

/**
 * Renders a design (SVG or raster) to `size` x `size` RGBA on a transparent background, the
 * design fitted inside and centred.
 *
 * @throws QdEmojiError naming the design when sharp cannot decode it.
 */
export async function renderDesignRgba(input: DesignInput, size: number): Promise<DesignRgba> {
  try {
    const data = await sharp(input.data)
      .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .ensureAlpha()
      .raw()
      .toBuffer();
    return { data, size };
  } catch (cause) {
    throw new QdEmojiError(`cannot render design ${input.origin}`, { cause });
  }
}

/** The gallery image of a design: the RGBA render composited on white, as an RGB PNG. */
export async function galleryPng(design: DesignRgba): Promise<Buffer> {
  const { data, size } = design;
  return sharp(data, { raw: { width: size, height: size, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}
