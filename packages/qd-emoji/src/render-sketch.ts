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
/** Output pixels one stacked render of {@link renderSketches} holds at most (4 MiB of grey). */
const STACK_PIXELS = 2 ** 22;

const blurSigma = (size: number): number => Math.max(0.3, (BLUR_AT_224 * size) / 224);

/** A bitmap as 8-bit grey: ink = 1 becomes black (0), paper = 0 white (255). */
function sketchGrey(bitmap: Float32Array): Uint8Array {
  const grey = new Uint8Array(bitmap.length);
  for (let i = 0; i < bitmap.length; i++) {
    const ink = Math.min(1, Math.max(0, bitmap[i]!));
    grey[i] = Math.round(255 * (1 - ink));
  }
  return grey;
}

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
  return sharp(sketchGrey(bitmap), {
    raw: { width: QUICKDRAW_SIDE, height: QUICKDRAW_SIDE, channels: 1 },
  })
    .resize(size, size, { kernel: 'cubic' })
    .blur(blurSigma(size))
    .linear(GAIN, OFFSET)
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/**
 * Renders many bitmaps, each to the same bytes as {@link renderSketch}, in a few sharp pipelines
 * instead of one each (a pipeline's fixed cost is most of a small render's): when `size` is a
 * multiple of 28, the bitmaps are stacked in one tall image, each between copies of its own edge
 * rows, so that the upsampling and the blur see at the seams what they see at an image's edge
 * (libvips extends edges by copying them); the result is cut back into one PNG per bitmap.
 * Other sizes (the upsampling would not align with the bitmaps) render one by one.
 *
 * @returns one PNG per bitmap, in order.
 */
export async function renderSketches(bitmaps: Float32Array[], size: number): Promise<Buffer[]> {
  const side = QUICKDRAW_SIDE;
  if (size % side !== 0) return Promise.all(bitmaps.map((b) => renderSketch(b, size)));
  const scale = size / side;
  const sigma = blurSigma(size);
  // Rows of edge copies above and below each bitmap: two for the bicubic filter's reach, and
  // enough output rows for the blur's (within 4 sigma, which rounds its mask to zero).
  const pad = Math.max(2, Math.ceil((4 * sigma + 2) / scale));
  const cell = side + 2 * pad;
  const perStack = Math.max(1, Math.floor(STACK_PIXELS / (size * cell * scale)));
  const out: Buffer[] = [];
  for (let first = 0; first < bitmaps.length; first += perStack) {
    const greys = bitmaps.slice(first, first + perStack).map(sketchGrey);
    const height = greys.length * cell;
    const stack = new Uint8Array(side * height);
    greys.forEach((grey, k) => {
      const top = k * cell + pad;
      stack.set(grey, top * side);
      for (let r = 1; r <= pad; r++) {
        stack.set(grey.subarray(0, side), (top - r) * side);
        stack.set(grey.subarray((side - 1) * side), (top + side - 1 + r) * side);
      }
    });
    const up = await sharp(stack, { raw: { width: side, height, channels: 1 } })
      .resize(size, height * scale, { kernel: 'cubic' })
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    // Between the upsampled bitmaps, copies of each one's first and last row: the blur's edge.
    const padOut = pad * scale;
    for (let k = 0; k < greys.length; k++) {
      const top = k * cell * scale + padOut;
      const bottom = top + size - 1;
      for (let r = 1; r <= padOut; r++) {
        up.copyWithin((top - r) * size, top * size, (top + 1) * size);
        up.copyWithin((bottom + r) * size, bottom * size, (bottom + 1) * size);
      }
    }
    const smooth = await sharp(up, { raw: { width: size, height: height * scale, channels: 1 } })
      .blur(sigma)
      .linear(GAIN, OFFSET)
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    const pngs = await Promise.all(
      greys.map((_, k) => {
        const top = k * cell * scale + padOut;
        return sharp(smooth.subarray(top * size, (top + size) * size), {
          raw: { width: size, height: size, channels: 1 },
        })
          .toColourspace('b-w')
          .png()
          .toBuffer();
      }),
    );
    out.push(...pngs);
  }
  return out;
}
