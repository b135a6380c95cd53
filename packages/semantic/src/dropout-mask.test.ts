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

  it('is reproducible from the generator state', () => {
    const a = dropoutMask(4, 5, 0.5, createRng('s'));
    const b = dropoutMask(4, 5, 0.5, createRng('s'));
    expect(a.dataSync()).toEqual(b.dataSync());
    a.dispose();
    b.dispose();
  });
});
