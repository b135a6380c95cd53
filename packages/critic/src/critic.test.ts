import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCritic } from './critic.js';
import { CriticError } from './errors.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('createCritic', () => {
  it('defaults to d -> d/2 -> d/2 -> 1 with variables [W1, b1, W2, b2, Wout, bout]', () => {
    const critic = createCritic({ inputDim: 64, seed: 'c' });
    expect(critic.trainableVariables.map((v) => v.shape)).toEqual([
      [64, 32],
      [32],
      [32, 32],
      [32],
      [32, 1],
      [1],
    ]);
    expect(critic.config).toMatchObject({
      kind: 'critic',
      hiddenDims: [32, 32],
      outputDim: 1,
      activation: 'leaky-relu',
      leakySlope: 0.2,
      dropout: 0,
    });
    const x = tf.ones([5, 64]) as tf.Tensor2D;
    const scores = critic.apply(x);
    expect(scores.shape).toEqual([5, 1]);
    tf.dispose([x, scores]);
    critic.dispose();
  });

  it('has no sigmoid: scores are the unbounded output of the last linear layer', () => {
    const critic = createCritic({ inputDim: 2, hiddenDims: [], seed: 0 });
    critic.setWeights([Float32Array.from([30, -10]), Float32Array.from([2])]);
    const scores = critic.apply(tf.tensor2d([[1, 1]]));
    expect(scores.dataSync()[0]).toBe(22);
    scores.dispose();
    critic.dispose();
  });

  it('accepts only the critic options and names them when one is wrong', () => {
    expect(() => createCritic({ inputDim: 4, seed: 0, dropout: 0.5 } as never)).toThrow(
      CriticError,
    );
    expect(() => createCritic({ inputDim: 4, seed: 0, dropout: 0.5 } as never)).toThrow(
      "createCritic: unknown option 'dropout'; valid options are inputDim, hiddenDims, activation, leakySlope, init, seed",
    );
    expect(() => createCritic({ inputDim: 4, seed: 0, activation: 'tanh' as never })).toThrow(
      /createCritic: option 'activation' must be one of relu, leaky-relu, softplus, linear/,
    );
  });
});
