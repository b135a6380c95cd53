import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classApSvg } from './class-ap-figure.js';
import { prCurveSvg } from './pr-curve-figure.js';
import { retrievalGridPng } from './retrieval-grid-figure.js';
import { svgToPng } from './svg-to-png.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zs-sbir-figures-'));
  for (const [name, colour] of [
    ['q', '#000000'],
    ['a', '#0000ff'],
    ['b', '#ffff00'],
  ] as const) {
    await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
      .png()
      .toFile(join(dir, `${name}.png`));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** RGB of one pixel. */
async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('retrievalGridPng', () => {
  it('frames right results green, wrong ones red, the query and unknown ones grey', async () => {
    const png = await retrievalGridPng(
      [
        {
          query: join(dir, 'q.png'),
          results: [
            { path: join(dir, 'a.png'), correct: true },
            { path: join(dir, 'b.png'), correct: false },
            { path: join(dir, 'a.png') },
          ],
        },
      ],
      { cell: 50, border: 5 },
    );
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([50 * 4 + 13, 50]);
    expect(await pixel(png, 2, 25)).toEqual([120, 120, 120]);
    expect(await pixel(png, 63 + 2, 25)).toEqual([46, 160, 67]);
    expect(await pixel(png, 63 + 50 + 2, 25)).toEqual([214, 39, 40]);
    // A result of unknown class (a search of unlabelled photos): grey.
    expect(await pixel(png, 63 + 100 + 2, 25)).toEqual([120, 120, 120]);
    // Inside the first result's frame: its own pixels (blue), letterboxed on white.
    expect(await pixel(png, 63 + 25, 25)).toEqual([0, 0, 255]);
  });
});

describe('prCurveSvg and classApSvg', () => {
  it('draw one polyline per curve through the given points', () => {
    const svg = prCurveSvg([
      { name: 'ours', recall: [0, 0.5, 1], precision: [1, 0.5, 0.25] },
      { name: 'chance', recall: [0, 1], precision: [0.1, 0.1] },
    ]);
    const polylines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' '));
    expect(polylines.map((p) => p.length)).toEqual([3, 2]);
    // recall 0 -> x = left margin (60); precision 1 -> y = top margin (40).
    expect(polylines[0]![0]).toBe('60.0,40.0');
    expect(() => prCurveSvg([{ name: 'bad', recall: [0, 1], precision: [1] }])).toThrow(
      /'bad': 2 recall values but 1/,
    );
  });

  it('sort classes by AP and mark the mean', () => {
    const svg = classApSvg([
      { name: 'cat', ap: 0.2 },
      { name: 'dog', ap: 0.6 },
    ]);
    expect(svg.indexOf('>dog<')).toBeLessThan(svg.indexOf('>cat<'));
    expect(svg).toContain('mean 0.400');
  });

  it('render to PNG of the declared size', async () => {
    const png = await svgToPng(classApSvg([{ name: 'a & b', ap: 0.5 }]));
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 640, 70 + 18]);
  });
});
