import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProjector } from './projector.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('createProjector', () => {
  it('defaults to D_v -> h -> h -> 64 with h = (D_v + d) / 2, leaky ReLU 0.2, dropout 0.5', () => {
    const g = createProjector({ inputDim: 512, seed: 'sketch' });
    expect(g.config).toEqual({
      kind: 'projector',
      inputDim: 512,
      outputDim: 64,
      hiddenDims: [288, 288],
      activation: 'leaky-relu',
      leakySlope: 0.2,
      dropout: 0.5,
      init: 'glorot-uniform',
      seed: 'sketch',
    });
    expect(g.trainableVariables.map((v) => v.shape)).toEqual([
      [512, 288],
      [288],
      [288, 288],
      [288],
      [288, 64],
      [64],
    ]);
    const z = g.apply(tf.ones([3, 512]) as tf.Tensor2D, { training: true });
    expect(z.shape).toEqual([3, 64]);
    z.dispose();
    g.dispose();
  });

  it('takes every default as an option', () => {
    const g = createProjector({
      inputDim: 10,
      outputDim: 4,
      hiddenDims: [6],
      activation: 'relu',
      dropout: 0,
      init: 'he-uniform',
      seed: 1,
    });
    expect(g.config).toMatchObject({
      outputDim: 4,
      hiddenDims: [6],
      activation: 'relu',
      dropout: 0,
    });
    expect(g.trainableVariables.map((v) => v.shape)).toEqual([[10, 6], [6], [6, 4], [4]]);
    g.dispose();
  });

  it('names itself in errors', () => {
    expect(() => createProjector({ inputDim: 10, seed: 1, outDim: 3 } as never)).toThrow(
      /^createProjector: unknown option 'outDim'/,
    );
  });
});
