import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readQuickDrawBitmaps } from './quickdraw-bitmaps.js';
import { renderSketch, renderSketches } from './render-sketch.js';

describe('renderSketch', () => {
  it('draws ink black on white paper at the requested size', async () => {
    // Ink fills the middle four columns (12-15) of a 28 x 28 bitmap.
    const bitmap = new Float32Array(28 * 28);
    for (let y = 0; y < 28; y++) for (let x = 12; x < 16; x++) bitmap[y * 28 + x] = 1;
    const png = await renderSketch(bitmap, 112);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([112, 112, 1]);
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    // Each source pixel covers 4 x 4 output pixels: the ink band spans x = 48-63.
    const at = (x: number, y: number) => data[y * 112 + x]!;
    expect(at(56, 56)).toBe(0);
    expect(at(5, 56)).toBe(255);
    expect(at(106, 56)).toBe(255);
    expect(at(56, 5)).toBe(0);
  });

  it('renders a blank bitmap as a white page', async () => {
    const png = await renderSketch(new Float32Array(28 * 28), 64);
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    expect(Math.min(...data)).toBe(255);
  });
});

describe('renderSketches', () => {
  // Real drawings (their strokes reach the edges) and a frame of ink on every edge row and column.
  const frame = new Float32Array(28 * 28).map((_, i) => {
    const [x, y] = [i % 28, Math.floor(i / 28)];
    return x === 0 || y === 0 || x === 27 || y === 27 ? 1 : 0;
  });
  const bitmaps = [...readQuickDrawBitmaps('airplane').slice(0, 5), frame];

  it.each([
    [56, 'stacked, 3 edge rows'],
    [112, 'stacked, 2 edge rows'],
    [1008, 'stacked 3 at a time'],
    [64, 'one by one (not a multiple of 28)'],
  ])('gives renderSketch bytes at %i px (%s)', async (size) => {
    const one = await Promise.all(bitmaps.map((b) => renderSketch(b, size)));
    const many = await renderSketches(bitmaps, size);
    expect(many.map((png, i) => png.equals(one[i]!))).toEqual(bitmaps.map(() => true));
  });
});
