import { describe, expect, it } from 'vitest';
import { ImageError } from './errors.js';
import { normalisePixels } from './normalisation.js';

// One pixel R=200, G=100, B=50, checked against the formulas worked by hand.
const rgb = new Uint8Array([200, 100, 50]);

function run(mode: Parameters<typeof normalisePixels>[1], invert = false): number[] {
  const out = new Float32Array(3);
  normalisePixels(rgb, mode, out, 0, invert);
  return [...out];
}

describe('normalisePixels', () => {
  it('unit scales to [0, 1]', () => {
    const [r, g, b] = run('unit');
    expect(r).toBeCloseTo(200 / 255, 6);
    expect(g).toBeCloseTo(100 / 255, 6);
    expect(b).toBeCloseTo(50 / 255, 6);
  });

  it('symmetric scales to [-1, 1]', () => {
    expect(run('symmetric')[0]).toBeCloseTo(200 / 127.5 - 1, 6);
    const white = new Float32Array(3);
    normalisePixels(new Uint8Array([255, 0, 128]), 'symmetric', white);
    expect(white[0]).toBeCloseTo(1, 6);
    expect(white[1]).toBeCloseTo(-1, 6);
  });

  it('caffe reorders to BGR and subtracts the ImageNet means on 0-255', () => {
    const [c0, c1, c2] = run('caffe');
    expect(c0).toBeCloseTo(50 - 103.939, 4);
    expect(c1).toBeCloseTo(100 - 116.779, 4);
    expect(c2).toBeCloseTo(200 - 123.68, 4);
  });

  it('imagenet uses the torchvision mean and std', () => {
    const [r, g, b] = run('imagenet');
    expect(r).toBeCloseTo((200 / 255 - 0.485) / 0.229, 5);
    expect(g).toBeCloseTo((100 / 255 - 0.456) / 0.224, 5);
    expect(b).toBeCloseTo((50 / 255 - 0.406) / 0.225, 5);
  });

  it('inverts before normalising', () => {
    expect(run('unit', true)[0]).toBeCloseTo(55 / 255, 6);
    expect(run('caffe', true)[0]).toBeCloseTo(205 - 103.939, 4);
  });

  it('writes at an offset and leaves the rest alone', () => {
    const out = new Float32Array(6).fill(7);
    normalisePixels(rgb, 'unit', out, 3);
    expect(out[0]).toBe(7);
    expect(out[3]).toBeCloseTo(200 / 255, 6);
  });

  it('names the valid modes when given an unknown one', () => {
    expect(() => normalisePixels(rgb, 'zscore' as never, new Float32Array(3))).toThrow(ImageError);
    expect(() => normalisePixels(rgb, 'zscore' as never, new Float32Array(3))).toThrow(
      /caffe, imagenet, unit, symmetric/,
    );
  });
});
