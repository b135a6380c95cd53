import { createRng } from '@zs-sbir/core';
import { describe, expect, it } from 'vitest';
import { drawAugment, NO_AUGMENT } from './augment.js';
import { ImageError } from './errors.js';

describe('drawAugment', () => {
  it('draws within the requested ranges, and nothing that is off', () => {
    const rng = createRng(5);
    const flips = new Set<boolean>();
    for (let i = 0; i < 200; i++) {
      const d = drawAugment({ flip: true, rotate: 10, crop: 0.875 }, rng);
      flips.add(d.flip);
      expect(Math.abs(d.angle)).toBeLessThanOrEqual(10);
      expect(d.cropX).toBeGreaterThanOrEqual(0);
      expect(d.cropX).toBeLessThan(1);
      expect(d.crop).toBe(0.875);
    }
    expect([...flips].sort()).toEqual([false, true]);
    expect(drawAugment({}, createRng(5))).toEqual(NO_AUGMENT);
  });

  it('keeps the other streams when one augmentation is turned on', () => {
    const a = drawAugment({ rotate: 10 }, createRng(9));
    const b = drawAugment({ rotate: 10, flip: true }, createRng(9));
    expect(b.angle).toBe(a.angle);
  });

  it('names a bad crop or rotation', () => {
    expect(() => drawAugment({ crop: 1.5 }, createRng(0))).toThrow(ImageError);
    expect(() => drawAugment({ rotate: -1 }, createRng(0))).toThrow(/augment.rotate/);
  });
});
