import { createRng } from '@zs-sbir/core';
import { describe, expect, it } from 'vitest';
import { type BackgroundSpec, drawBackground, paintBackground } from './background-texture.js';

const spec = (over: Partial<BackgroundSpec>): BackgroundSpec => ({
  kind: 'solid',
  colours: [
    [10, 20, 30],
    [200, 150, 100],
  ],
  angle: 0,
  period: 8,
  noiseStd: 20,
  noiseSeed: 7,
  ...over,
});

const pixel = (img: Uint8Array, size: number, x: number, y: number) => [
  ...img.subarray((y * size + x) * 3, (y * size + x) * 3 + 3),
];

describe('paintBackground', () => {
  it('fills solid backgrounds with the first colour', () => {
    const img = paintBackground(spec({ kind: 'solid' }), 16);
    expect(img).toHaveLength(16 * 16 * 3);
    expect(pixel(img, 16, 0, 0)).toEqual([10, 20, 30]);
    expect(pixel(img, 16, 15, 15)).toEqual([10, 20, 30]);
  });

  it('alternates checker squares and vertical stripes every period pixels', () => {
    const checker = paintBackground(spec({ kind: 'checker', period: 4 }), 16);
    expect(pixel(checker, 16, 0, 0)).toEqual([10, 20, 30]);
    expect(pixel(checker, 16, 4, 0)).toEqual([200, 150, 100]);
    expect(pixel(checker, 16, 4, 4)).toEqual([10, 20, 30]);
    // Angle 0: bands of 4 px along x, measured from the centre (x = 8 starts a band).
    const stripes = paintBackground(spec({ kind: 'stripes', period: 4 }), 16);
    expect(pixel(stripes, 16, 8, 3)).toEqual([10, 20, 30]);
    expect(pixel(stripes, 16, 12, 9)).toEqual([200, 150, 100]);
    expect(pixel(stripes, 16, 4, 0)).toEqual([200, 150, 100]);
  });

  it('blends gradients from the first colour to the second along the angle', () => {
    const size = 64;
    const img = paintBackground(spec({ kind: 'gradient' }), size);
    const left = pixel(img, size, 0, 32);
    const right = pixel(img, size, size - 1, 32);
    // t = x / (size * sqrt 2) + 0.5 with x measured from the centre.
    const t = (x: number) => (x - size / 2) / (size * Math.SQRT2) + 0.5;
    expect(left[0]).toBe(Math.round(10 + 190 * t(0)));
    expect(right[0]).toBe(Math.round(10 + 190 * t(size - 1)));
    expect(pixel(img, size, 0, 0)).toEqual(left);
  });

  it('adds seeded Gaussian noise of the requested spread', () => {
    const s = spec({
      kind: 'noise',
      colours: [
        [128, 128, 128],
        [0, 0, 0],
      ],
      noiseStd: 20,
    });
    const img = paintBackground(s, 64);
    expect(paintBackground(s, 64)).toEqual(img);
    const values = [...img];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mean).toBeGreaterThan(126);
    expect(mean).toBeLessThan(130);
    expect(sd).toBeGreaterThan(18);
    expect(sd).toBeLessThan(22);
    expect(paintBackground({ ...s, noiseSeed: 8 }, 64)).not.toEqual(img);
  });
});

describe('drawBackground', () => {
  it('draws valid specs and every kind over many draws', () => {
    const rng = createRng(3);
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const b = drawBackground(rng);
      kinds.add(b.kind);
      expect(b.period).toBeGreaterThanOrEqual(8);
      expect(b.period).toBeLessThanOrEqual(32);
      expect(b.colours.flat().every((c) => Number.isInteger(c) && c >= 0 && c < 256)).toBe(true);
    }
    expect([...kinds].sort()).toEqual(['checker', 'gradient', 'noise', 'solid', 'stripes']);
  });
});
