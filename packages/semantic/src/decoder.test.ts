import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDecoder } from './decoder.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('createDecoder', () => {
  it('defaults to d = 64 -> h -> D_v with h = (d + D_v) / 2 and dropout 0.5', () => {
    const f = createDecoder({ outputDim: 4096, seed: 2 });
    expect(f.config).toMatchObject({
      kind: 'decoder',
      inputDim: 64,
      outputDim: 4096,
      hiddenDims: [2080],
      dropout: 0.5,
      activation: 'leaky-relu',
    });
    const x = f.apply(tf.ones([2, 64]) as tf.Tensor2D);
    expect(x.shape).toEqual([2, 4096]);
    x.dispose();
    f.dispose();
  });
});
