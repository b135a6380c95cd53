import { createRng, initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCritic } from './critic.js';
import { criticStep } from './critic-step.js';
import { createDiscriminator, withObjective } from './discriminator.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const gaussian = (rows: number, cols: number, mean: number, seed: string) => {
  const rng = createRng(seed);
  return tf.tensor2d(
    rng.fill(rows * cols, () => rng.normal(mean, 1)),
    [rows, cols],
  );
};

describe('criticStep', () => {
  it('takes nCritic gradient steps on mean C(fake) - mean C(real) (linear critic, SGD)', () => {
    const critic = createCritic({ inputDim: 2, hiddenDims: [], seed: 0 });
    critic.setWeights([Float32Array.from([1, -1]), Float32Array.from([0.5])]);
    const real = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const fake = tf.tensor2d([
      [2, 0],
      [0, 0],
    ]);
    const optimizer = tf.train.sgd(0.1);
    const result = criticStep({
      discriminator: withObjective(critic, { kind: 'wgan-clip', clip: 100 }),
      optimizer,
      real,
      fake,
      nCritic: 2,
    });
    // d loss / d w = mean(fake) - mean(real) = [0.5, -0.5]; the bias gets no gradient.
    // w: [1, -1] -> [0.95, -0.95] -> [0.9, -0.9]; loss_k = w_k . [0.5, -0.5] = 1, 0.95.
    expect(result.losses).toEqual([expect.closeTo(1, 6), expect.closeTo(0.95, 6)]);
    expect(result.wassersteins).toEqual([expect.closeTo(-1, 6), expect.closeTo(-0.95, 6)]);
    expect(result.penalties).toEqual([0, 0]);
    expect(result.loss).toBeCloseTo(0.95, 6);
    expect(Array.from(critic.getWeights()[0]!)).toEqual([
      expect.closeTo(0.9, 6),
      expect.closeTo(-0.9, 6),
    ]);
    expect(critic.getWeights()[1]![0]).toBeCloseTo(0.5, 6);
    tf.dispose([real, fake]);
    optimizer.dispose();
    critic.dispose();
  });

  it('learns the Wasserstein-1 distance between two Gaussians with WGAN-GP', () => {
    // N(0, I) vs N(1, I) in 4-d: W1 = ||mean difference|| = 2.
    const real = gaussian(128, 4, 1, 'real');
    const fake = gaussian(128, 4, 0, 'fake');
    const d = createDiscriminator({ inputDim: 4, hiddenDims: [16, 16], seed: 3 });
    const optimizer = tf.train.adam(2e-2, 0.5, 0.9);
    const rng = createRng('eps');
    const first = criticStep({ discriminator: d, optimizer, real, fake, rng });
    let last = first;
    for (let i = 0; i < 20; i++)
      last = criticStep({ discriminator: d, optimizer, real, fake, rng });
    expect(first.wassersteins[0]!).toBeLessThan(1);
    expect(last.wasserstein).toBeGreaterThan(1.6);
    expect(last.wasserstein).toBeLessThan(2.4);
    expect(last.penalty).toBeLessThan(0.5);
    tf.dispose([real, fake]);
    optimizer.dispose();
    d.dispose();
  }, 30_000);

  it('trains a bare critic as wgan-gp, reproducibly from the rng, without leaking tensors', () => {
    const real = gaussian(16, 4, 1, 'real');
    const fake = gaussian(16, 4, 0, 'fake');
    const run = () => {
      const critic = createCritic({ inputDim: 4, seed: 9 });
      const optimizer = tf.train.adam(1e-3, 0.5, 0.9);
      const rng = createRng('gp');
      const step = () =>
        criticStep({ discriminator: critic, optimizer, real, fake, nCritic: 3, rng });
      step();
      const before = tf.memory().numTensors;
      const results = Array.from({ length: 5 }, step);
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
      critic.dispose();
      return results;
    };
    const a = run();
    expect(a[0]!.penalties.every((p) => p > 0)).toBe(true);
    expect(run()).toEqual(a);
    expect(() =>
      criticStep({
        discriminator: createCritic({ inputDim: 4, seed: 0 }),
        optimizer: tf.train.sgd(1),
        real,
        fake,
        nCritic: 0,
      }),
    ).toThrow("criticStep: option 'nCritic' must be an integer >= 1, got 0");
    tf.dispose([real, fake]);
  });

  it('uses the interpolation weights given per update instead of drawing them', () => {
    const run = (options: { epsilons?: number[][]; seed?: string }) => {
      const critic = createCritic({ inputDim: 2, hiddenDims: [3], seed: 'eps' });
      const d = withObjective(critic, { kind: 'wgan-gp' });
      const real = gaussian(4, 2, 1, 'real');
      const fake = gaussian(4, 2, -1, 'fake');
      const optimizer = tf.train.adam(0.01);
      const r = criticStep({
        discriminator: d,
        optimizer,
        real,
        fake,
        nCritic: 2,
        ...(options.seed ? { rng: createRng(options.seed) } : {}),
        ...(options.epsilons ? { epsilons: options.epsilons } : {}),
      });
      tf.dispose([real, fake]);
      optimizer.dispose();
      d.dispose();
      return r.penalties;
    };
    const rng = createRng('draws');
    const drawn = [0, 1].map(() => Array.from(rng.fill(4, () => rng.next())));
    expect(run({ epsilons: drawn })).toEqual(run({ seed: 'draws' }));
    expect(run({ epsilons: [[0, 0, 0, 0], drawn[1]!] })).not.toEqual(run({ seed: 'draws' }));
    expect(() => run({ epsilons: drawn.slice(0, 1) })).toThrow(
      /'epsilons' .* per update \(2\), got 1/,
    );
  });
});
