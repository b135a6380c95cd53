import { assertOneOf } from './assert-one-of.js';
import { ImageError } from './errors.js';

/**
 * How pixel values are scaled for a backbone:
 * - `caffe`: channels reordered to BGR, ImageNet means subtracted on 0-255
 *   (B 103.939, G 116.779, R 123.68), as Keras `preprocess_input(mode='caffe')` for VGG16/ResNet-50.
 * - `imagenet`: RGB divided by 255, then torchvision's mean [0.485, 0.456, 0.406] subtracted and
 *   divided by std [0.229, 0.224, 0.225].
 * - `unit`: RGB in [0, 1].
 * - `symmetric`: RGB in [-1, 1] (MobileNet / Inception style).
 */
export type Normalisation = 'caffe' | 'imagenet' | 'unit' | 'symmetric';

/** Every {@link Normalisation}, for option checks. */
export const NORMALISATIONS: readonly Normalisation[] = ['caffe', 'imagenet', 'unit', 'symmetric'];

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;
const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Per output channel: `out[c] = rgb[source[c]] * scale[c] + offset[c]`, so every mode is one
 * multiply-add a value.
 */
interface ChannelMap {
  source: readonly [number, number, number];
  scale: readonly [number, number, number];
  offset: readonly [number, number, number];
}

function channelMap(mode: Normalisation): ChannelMap {
  switch (mode) {
    case 'caffe':
      return {
        source: [2, 1, 0],
        scale: [1, 1, 1],
        offset: [-CAFFE_MEAN_BGR[0], -CAFFE_MEAN_BGR[1], -CAFFE_MEAN_BGR[2]],
      };
    case 'imagenet': {
      const s = IMAGENET_STD.map((d) => 1 / (255 * d)) as [number, number, number];
      const o = IMAGENET_MEAN.map((m, c) => -m / IMAGENET_STD[c]!) as [number, number, number];
      return { source: [0, 1, 2], scale: s, offset: o };
    }
    case 'unit':
      return { source: [0, 1, 2], scale: [1 / 255, 1 / 255, 1 / 255], offset: [0, 0, 0] };
    case 'symmetric':
      return { source: [0, 1, 2], scale: [2 / 255, 2 / 255, 2 / 255], offset: [-1, -1, -1] };
  }
}

/**
 * Writes interleaved RGB bytes (`[pixels, 3]`, 0-255) into `out` at `offset` as normalised
 * floats, optionally inverted first (`255 - v`, SEM-PCYC's `ImageOps.invert` for sketches).
 *
 * @param rgb - `[height * width * 3]` bytes, RGB order.
 * @param out - destination; `rgb.length` floats are written from `offset`.
 */
export function normalisePixels(
  rgb: Uint8Array,
  mode: Normalisation,
  out: Float32Array,
  offset = 0,
  invert = false,
): void {
  assertOneOf('normalisePixels', 'normalisation', mode, NORMALISATIONS, ImageError);
  const { source, scale, offset: add } = channelMap(mode);
  const [s0, s1, s2] = source;
  const [k0, k1, k2] = scale;
  const [a0, a1, a2] = add;
  for (let i = 0; i < rgb.length; i += 3) {
    let r0 = rgb[i + s0]!;
    let r1 = rgb[i + s1]!;
    let r2 = rgb[i + s2]!;
    if (invert) {
      r0 = 255 - r0;
      r1 = 255 - r1;
      r2 = 255 - r2;
    }
    const o = offset + i;
    out[o] = r0 * k0 + a0;
    out[o + 1] = r1 * k1 + a1;
    out[o + 2] = r2 * k2 + a2;
  }
}
