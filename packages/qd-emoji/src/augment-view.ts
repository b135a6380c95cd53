import { createRng } from '@zs-sbir/core';
import sharp from 'sharp';
import { type BackgroundSpec, drawBackground, paintBackground } from './background-texture.js';
import type { DesignRgba } from './render-design.js';

/** The random choices behind one augmented training view of a design. */
export interface ViewParams {
  background: BackgroundSpec;
  /** Side of the design relative to the canvas, in [0.5, 1]. */
  scale: number;
  /** Degrees, in [-30, 30], positive clockwise. */
  rotation: number;
  /** Where the design sits in the free space, 0 = left/top edge, 1 = right/bottom edge. */
  x: number;
  y: number;
}

/**
 * The view parameters of view `index` of one design, drawn from a generator seeded by
 * (`seed`, class, set, index): the same inputs give the same view on every machine and in any
 * rendering order.
 */
export function viewParams(
  seed: number,
  className: string,
  setId: string,
  index: number,
): ViewParams {
  const rng = createRng(`qd-emoji-view:${seed}:${className}:${setId}:${index}`);
  const params: ViewParams = {
    background: drawBackground(rng),
    scale: rng.uniform(0.5, 1),
    rotation: rng.uniform(-30, 30),
    x: rng.next(),
    y: rng.next(),
  };
  return params;
}

/**
 * Renders one augmented view: the design scaled, rotated and placed on a painted background.
 *
 * @returns an RGB PNG of the design's size.
 */
export async function renderView(design: DesignRgba, params: ViewParams): Promise<Buffer> {
  const { size } = design;
  const side = Math.max(1, Math.round(params.scale * size));
  const transparent = { r: 0, g: 0, b: 0, alpha: 0 };
  const scaled = await sharp(design.data, { raw: { width: size, height: size, channels: 4 } })
    .resize(side, side)
    .raw()
    .toBuffer();
  let rotated = await sharp(scaled, { raw: { width: side, height: side, channels: 4 } })
    .rotate(params.rotation, { background: transparent })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (rotated.info.width > size || rotated.info.height > size) {
    const { width, height } = rotated.info;
    rotated = await sharp(rotated.data, { raw: { width, height, channels: 4 } })
      .resize(size, size, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  }
  const { width, height } = rotated.info;
  const background = paintBackground(params.background, size);
  // One pipeline: the composite's alpha (opaque everywhere) is dropped before the PNG is written.
  return sharp(background, { raw: { width: size, height: size, channels: 3 } })
    .composite([
      {
        input: rotated.data,
        raw: { width, height, channels: 4 },
        left: Math.round(params.x * (size - width)),
        top: Math.round(params.y * (size - height)),
      },
    ])
    .removeAlpha()
    .png()
    .toBuffer();
}
