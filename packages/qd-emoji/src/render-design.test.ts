import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { QdEmojiError } from './errors.js';
import { galleryPng, renderDesignRgba } from './render-design.js';

const leftHalfRed = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 2 2">' +
    '<rect x="0" y="0" width="1" height="2" fill="#ff0000"/></svg>',
);

describe('renderDesignRgba and galleryPng', () => {
  it('keeps transparency in RGBA and composites on white for the gallery', async () => {
    const rgba = await renderDesignRgba({ format: 'svg', data: leftHalfRed, origin: 'test' }, 64);
    expect(rgba.data).toHaveLength(64 * 64 * 4);
    const px = (x: number, y: number) => [
      ...rgba.data.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4),
    ];
    expect(px(10, 32)).toEqual([255, 0, 0, 255]);
    expect(px(50, 32)[3]).toBe(0);
    const { data, info } = await sharp(await galleryPng(rgba))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    const rgb = (x: number, y: number) => [
      ...data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3),
    ];
    expect(rgb(10, 32)).toEqual([255, 0, 0]);
    expect(rgb(50, 32)).toEqual([255, 255, 255]);
  });

  it('names the design when it cannot be decoded', async () => {
    const bad = {
      format: 'raster' as const,
      data: Buffer.from('not an image'),
      origin: 'pkg#icon',
    };
    await expect(renderDesignRgba(bad, 32)).rejects.toThrow(QdEmojiError);
    await expect(renderDesignRgba(bad, 32)).rejects.toThrow(/pkg#icon/);
  });
});
