import { createRng, type Rng } from '@zs-sbir/core';

/** An RGB colour, each channel 0-255. */
export type Rgb = [number, number, number];

/** The background kinds an augmented view is composited on. */
export const BACKGROUND_KINDS = ['solid', 'gradient', 'stripes', 'checker', 'noise'] as const;
export type BackgroundKind = (typeof BACKGROUND_KINDS)[number];

/**
 * A background, as data: `solid` fills with `colours[0]`; `gradient` blends `colours[0]` to
 * `colours[1]` along `angle`; `stripes` alternates them in bands of `period` px at `angle`;
 * `checker` alternates them in `period` px squares; `noise` adds per-pixel Gaussian noise of
 * standard deviation `noiseStd` to `colours[0]`, drawn from `noiseSeed`.
 */
export interface BackgroundSpec {
  kind: BackgroundKind;
  colours: [Rgb, Rgb];
  /** Radians. */
  angle: number;
  /** Pixels. */
  period: number;
  /** In 0-255 units. */
  noiseStd: number;
  noiseSeed: number;
}

/** Draws a random background spec: kind, two colours, angle, period 8-32 px, noise 10-50. */
export function drawBackground(rng: Rng): BackgroundSpec {
  const colour = (): Rgb => [rng.int(256), rng.int(256), rng.int(256)];
  return {
    kind: BACKGROUND_KINDS[rng.int(BACKGROUND_KINDS.length)]!,
    colours: [colour(), colour()],
    angle: rng.uniform(0, Math.PI),
    period: 8 + rng.int(25),
    noiseStd: rng.uniform(10, 50),
    noiseSeed: rng.int(2 ** 31),
  };
}

const clampByte = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));

/**
 * Paints a background.
 *
 * @returns `[size, size, 3]` row-major RGB bytes.
 */
export function paintBackground(spec: BackgroundSpec, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  const [a, b] = spec.colours;
  const cos = Math.cos(spec.angle);
  const sin = Math.sin(spec.angle);
  const noise = spec.kind === 'noise' ? createRng(spec.noiseSeed) : undefined;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const along = (x - size / 2) * cos + (y - size / 2) * sin;
      let t = 0;
      if (spec.kind === 'gradient') t = along / (size * Math.SQRT2) + 0.5;
      else if (spec.kind === 'stripes') t = Math.floor(along / spec.period) & 1;
      else if (spec.kind === 'checker') {
        t = (Math.floor(x / spec.period) + Math.floor(y / spec.period)) & 1;
      }
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const base = a[c]! + (b[c]! - a[c]!) * t;
        out[o + c] = clampByte(noise ? base + noise.normal(0, spec.noiseStd) : base);
      }
    }
  }
  return out;
}
