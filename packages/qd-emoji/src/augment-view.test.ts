import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderView, type ViewParams, viewParams } from './augment-view.js';
import type { DesignRgba } from './render-design.js';

/** A fully opaque blue design filling the whole canvas. */
function blueSquare(size: number): DesignRgba {
  const data = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([0, 0, 255, 255], i * 4);
  return { data, size };
}

const solidRed: ViewParams['background'] = {
  kind: 'solid',
  colours: [
    [255, 0, 0],
    [0, 0, 0],
  ],
  angle: 0,
  period: 8,
  noiseStd: 0,
  noiseSeed: 0,
};

async function rgb(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return {
    info,
    at: (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ],
  };
}

describe('viewParams', () => {
  it('gives the same parameters for the same inputs and others for another view', () => {
    const a = viewParams(0, 'cat', 'twemoji', 1);
    expect(viewParams(0, 'cat', 'twemoji', 1)).toEqual(a);
    expect(viewParams(0, 'cat', 'twemoji', 2)).not.toEqual(a);
    expect(viewParams(1, 'cat', 'twemoji', 1)).not.toEqual(a);
    expect(viewParams(0, 'cat', 'noto', 1)).not.toEqual(a);
  });

  it('stays inside the documented ranges', () => {
    for (let i = 0; i < 100; i++) {
      const p = viewParams(5, 'dog', 'noto', i);
      expect(p.scale).toBeGreaterThanOrEqual(0.5);
      expect(p.scale).toBeLessThan(1);
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual(30);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThan(1);
    }
  });
});

describe('renderView', () => {
  it('places the scaled design at the requested corner of the background', async () => {
    const params: ViewParams = { background: solidRed, scale: 0.5, rotation: 0, x: 0, y: 0 };
    const { info, at } = await rgb(await renderView(blueSquare(64), params));
    expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
    expect(at(10, 10)).toEqual([0, 0, 255]);
    expect(at(50, 50)).toEqual([255, 0, 0]);
    expect(at(50, 10)).toEqual([255, 0, 0]);
    const bottomRight = await rgb(await renderView(blueSquare(64), { ...params, x: 1, y: 1 }));
    expect(bottomRight.at(50, 50)).toEqual([0, 0, 255]);
    expect(bottomRight.at(10, 10)).toEqual([255, 0, 0]);
  });

  it('rotates the design: a 45 degree square leaves the corners to the background', async () => {
    const params: ViewParams = { background: solidRed, scale: 0.7, rotation: 45, x: 0.5, y: 0.5 };
    const { at } = await rgb(await renderView(blueSquare(64), params));
    expect(at(32, 32)).toEqual([0, 0, 255]);
    expect(at(2, 2)).toEqual([255, 0, 0]);
    expect(at(61, 61)).toEqual([255, 0, 0]);
  });
});
