import sharp from 'sharp';
import { QUICKDRAW_SIDE } from './quickdraw-bitmaps.js';

/** Gaussian blur sigma after upsampling, in pixels of a 224 px output (scaled with the size). */
const BLUR_AT_224 = 2.5;
/**
 * Contrast after the blur, `out = GAIN * v + OFFSET`: white stays white, grey levels below 137
 * become black, so blurred strokes get crisp edges again.
 */
const GAIN = 2.5;
const OFFSET = (1 - GAIN) * 255 + 40;

/**
 * Renders one Quick, Draw! bitmap as a greyscale PNG: black strokes on white, upsampled from
 * 28 px to `size` px with a bicubic (Catmull-Rom) filter, then a Gaussian blur and a contrast
 * gain that smooth the 28 px staircase into round strokes.
 *
 * @param bitmap - `[28, 28]` row-major, ink = 1, paper = 0 (the Quick, Draw! numpy-bitmap format).
 * @param size - side of the output in pixels.
 * @returns PNG bytes, 1 channel.
 */
export async function renderSketch(bitmap: Float32Array, size: number): Promise<Buffer> {
  const grey = new Uint8Array(bitmap.length);
  for (let i = 0; i < bitmap.length; i++) {
    const ink = Math.min(1, Math.max(0, bitmap[i]!));
    grey[i] = Math.round(255 * (1 - ink));
  }
  return sharp(grey, { raw: { width: QUICKDRAW_SIDE, height: QUICKDRAW_SIDE, channels: 1 } })
    .resize(size, size, { kernel: 'cubic' })
    .blur(Math.max(0.3, (BLUR_AT_224 * size) / 224))
    .linear(GAIN, OFFSET)
    .toColourspace('b-w')
    .png()
    .toBuffer();
}
