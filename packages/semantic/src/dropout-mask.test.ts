import { createRng, initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutMask } from './dropout-mask.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('dropoutMask', () => {
  it('drops a `rate` fraction and scales the kept entries by 1 / (1 - rate)', () => {
    const mask = dropoutMask(100, 200, 0.3, createRng(1));
    const values = mask.dataSync();
    mask.dispose();
    const kept = values.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.7)]));
    // 20000 Bernoulli(0.7) draws: standard deviation of the kept fraction is 0.0032.
    expect(kept.length / values.length).toBeCloseTo(0.7, 1);
    expect(Math.abs(kept.length / values.length - 0.7)).toBeLessThan(0.015);
  });

  it('decides two entries per 32-bit draw, one per 16-bit half', () => {
    const rng = createRng('bits');
    const bits = [0, 1, 2].map(() => Math.floor(rng.next() * 2 ** 32));
    const expected = bits
      .flatMap((b) => [b & 0xffff, b >>> 16])
      .map((h) => (h < 0.75 * 65536 ? 1 / 0.75 : 0));
    const mask = dropoutMask(1, 5, 0.25, createRng('bits'));
    expect(Array.from(mask.dataSync())).toEqual(expected.slice(0, 5).map((v) => Math.fround(v)));
    mask.dispose();
  });

  it('is reproducible from the generator state', () => {
    const a = dropoutMask(4, 5, 0.5, createRng('s'));
    const b = dropoutMask(4, 5, 0.5, createRng('s'));
    expect(a.dataSync()).toEqual(b.dataSync());
    a.dispose();
    b.dispose();
  });
});
