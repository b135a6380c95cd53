import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_AUGMENT } from './augment.js';
import { ImageError } from './errors.js';
import { decodeImage, loadImage } from './load-image.js';
import { tempDir } from './temp-dir.testkit.js';

let dir: string;
let quad: string;

// 2x2 RGB: red, green / blue, white.
const QUAD = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];

function pixel(rgb: Uint8Array, size: number, x: number, y: number): number[] {
  const o = (y * size + x) * 3;
  return [rgb[o]!, rgb[o + 1]!, rgb[o + 2]!];
}

beforeAll(async () => {
  dir = await tempDir('load-image');
  quad = join(dir, 'quad.png');
  await sharp(Buffer.from(QUAD), { raw: { width: 2, height: 2, channels: 3 } })
    .png()
    .toFile(quad);
});

describe('decodeImage', () => {
  it('keeps the pixels of an image already at the size', async () => {
    const rgb = await decodeImage(quad, { size: 2, kernel: 'nearest' });
    expect([...rgb]).toEqual(QUAD);
  });

  it('stretches with nearest-neighbour into 2x2 blocks', async () => {
    const rgb = await decodeImage(quad, { size: 4, fit: 'stretch', kernel: 'nearest' });
    expect(pixel(rgb, 4, 0, 0)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 4, 1, 1)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 4, 3, 0)).toEqual([0, 255, 0]);
    expect(pixel(rgb, 4, 0, 3)).toEqual([0, 0, 255]);
    expect(pixel(rgb, 4, 3, 3)).toEqual([255, 255, 255]);
  });

  it('pads a wide image on the background, centred', async () => {
    const wide = join(dir, 'wide.png');
    await sharp({ create: { width: 8, height: 4, channels: 3, background: '#000000' } })
      .png()
      .toFile(wide);
    const rgb = await decodeImage(wide, { size: 8, kernel: 'nearest', background: '#ff0000' });
    expect(pixel(rgb, 8, 4, 0)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 8, 4, 1)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 8, 4, 2)).toEqual([0, 0, 0]);
    expect(pixel(rgb, 8, 4, 5)).toEqual([0, 0, 0]);
    expect(pixel(rgb, 8, 4, 7)).toEqual([255, 0, 0]);
  });

  it('centre-crops with cover', async () => {
    const wide = join(dir, 'halves.png');
    // Left half black, right half white, 4x2: cover to 2 keeps the middle 2x2 columns.
    const px = [0, 0, 255, 255, 0, 0, 255, 255].flatMap((v) => [v, v, v]);
    await sharp(Buffer.from(px), { raw: { width: 4, height: 2, channels: 3 } })
      .png()
      .toFile(wide);
    const rgb = await decodeImage(wide, { size: 2, fit: 'cover', kernel: 'nearest' });
    expect(pixel(rgb, 2, 0, 0)).toEqual([0, 0, 0]);
    expect(pixel(rgb, 2, 1, 0)).toEqual([255, 255, 255]);
  });

  it('flattens transparency on white', async () => {
    const clear = join(dir, 'clear.png');
    await sharp({
      create: { width: 3, height: 3, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toFile(clear);
    const rgb = await decodeImage(clear, { size: 3 });
    expect([...rgb].every((v) => v === 255)).toBe(true);
  });

  it('renders SVG', async () => {
    const svg = join(dir, 'red.svg');
    await writeFile(
      svg,
      '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#0000ff"/></svg>',
    );
    const rgb = await decodeImage(svg, { size: 8 });
    expect(pixel(rgb, 8, 4, 4)).toEqual([0, 0, 255]);
  });

  it('reads in-memory greyscale pixels', async () => {
    const rgb = await decodeImage(
      { data: new Uint8Array([0, 100, 200, 255]), width: 2, height: 2, channels: 1 },
      { size: 2, kernel: 'nearest' },
    );
    expect(pixel(rgb, 2, 1, 0)).toEqual([100, 100, 100]);
    expect(pixel(rgb, 2, 0, 1)).toEqual([200, 200, 200]);
  });

  it('flips left-right', async () => {
    const rgb = await decodeImage(
      quad,
      { size: 2, kernel: 'nearest' },
      { ...NO_AUGMENT, flip: true },
    );
    expect(pixel(rgb, 2, 0, 0)).toEqual([0, 255, 0]);
    expect(pixel(rgb, 2, 1, 0)).toEqual([255, 0, 0]);
  });

  it('rotates by the drawn angle before resizing', async () => {
    const rgb = await decodeImage(
      quad,
      { size: 2, kernel: 'nearest' },
      { ...NO_AUGMENT, angle: 90 },
    );
    // Clockwise: blue comes to the top left, red to the top right.
    expect(pixel(rgb, 2, 0, 0)).toEqual([0, 0, 255]);
    expect(pixel(rgb, 2, 1, 0)).toEqual([255, 0, 0]);
  });

  it('cuts the crop window where the draw puts it', async () => {
    const opts = { size: 2, fit: 'stretch' as const, kernel: 'nearest' as const };
    const topLeft = await decodeImage(quad, opts, { ...NO_AUGMENT, crop: 0.5, cropX: 0, cropY: 0 });
    expect([...topLeft]).toEqual([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0]);
    const bottomRight = await decodeImage(quad, opts, {
      ...NO_AUGMENT,
      crop: 0.5,
      cropX: 0.99,
      cropY: 0.99,
    });
    expect(pixel(bottomRight, 2, 0, 0)).toEqual([255, 255, 255]);
  });

  it('rejects a file that is not an image', async () => {
    const bad = join(dir, 'bad.jpg');
    await writeFile(bad, 'not a jpeg at all');
    await expect(decodeImage(bad, { size: 4 })).rejects.toThrow();
  });

  it('names the bad option', async () => {
    await expect(decodeImage(quad, { size: 0 })).rejects.toThrow(
      new ImageError("decodeImage: option 'size' must be an integer >= 1, got 0"),
    );
    await expect(decodeImage(quad, { size: 4, fit: 'crop' as never })).rejects.toThrow(
      `decodeImage: option 'fit' must be one of pad, stretch, cover, got "crop"`,
    );
    await expect(decodeImage(quad, { size: 4, invert: 'yes' as never })).rejects.toThrow(
      `decodeImage: option 'invert' must be true or false, got "yes"`,
    );
  });
});

describe('loadImage', () => {
  it('returns HWC floats normalised, inverted on request', async () => {
    const out = await loadImage(quad, { size: 2, kernel: 'nearest', normalisation: 'caffe' });
    expect(out.length).toBe(12);
    // Pixel (0,0) is red: BGR = (0, 0, 255) minus the means.
    expect(out[0]).toBeCloseTo(-103.939, 3);
    expect(out[2]).toBeCloseTo(255 - 123.68, 3);
    const inv = await loadImage(quad, { size: 2, kernel: 'nearest', invert: true });
    expect(inv[9]).toBe(0);
    expect(inv[0]).toBe(0);
    expect(inv[1]).toBe(1);
  });
});
