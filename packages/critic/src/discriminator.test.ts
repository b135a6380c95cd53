import { initBackend, tf, tfOps } from '@zs-sbir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCritic } from './critic.js';
import {
  createDiscriminator,
  criticLossOf,
  discriminatorFromConfig,
  withObjective,
} from './discriminator.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// A linear critic C(x) = x . [1, -1] + 0.5 scores real [1.5, -0.5] and fake [2.5, 0.5].
const real = tf.tensor2d([
  [1, 0],
  [0, 1],
]);
const fake = tf.tensor2d([
  [2, 0],
  [0, 0],
]);
afterAll(() => tf.dispose([real, fake]));

function linearCritic() {
  const critic = createCritic({ inputDim: 2, hiddenDims: [], seed: 0 });
  critic.setWeights([Float32Array.from([1, -1]), Float32Array.from([0.5])]);
  return critic;
}

const softplus = (x: number) => Math.log1p(Math.exp(x));

function losses(kind: 'wgan-gp' | 'wgan-lp' | 'wgan-clip' | 'lsgan' | 'gan', lambda?: number) {
  const d = withObjective(linearCritic(), { kind, lambda });
  const out = d.loss(real, fake, { epsilon: [0.5, 0.5] });
  const values = {
    loss: out.loss.dataSync()[0]!,
    adversarial: out.parts.adversarial.dataSync()[0]!,
    penalty: out.parts.penalty.dataSync()[0]!,
    wasserstein: out.parts.wasserstein.dataSync()[0]!,
  };
  tf.dispose([out.loss, ...Object.values(out.parts)]);
  d.dispose();
  return values;
}

describe('discriminator objectives (hand-computed on a linear critic)', () => {
  it('wgan-clip: mean C(fake) - mean C(real), no penalty', () => {
    expect(losses('wgan-clip')).toEqual({ loss: 1, adversarial: 1, penalty: 0, wasserstein: -1 });
  });

  it('wgan-gp: adds lambda (||w|| - 1)^2, lambda = 10 by default', () => {
    const gp = 10 * (Math.SQRT2 - 1) ** 2;
    const v = losses('wgan-gp');
    expect(v.penalty).toBeCloseTo(gp, 5);
    expect(v.loss).toBeCloseTo(1 + gp, 5);
    expect(losses('wgan-gp', 1).penalty).toBeCloseTo(gp / 10, 5);
  });

  it('wgan-lp: one-sided, equal to the two-sided penalty when ||grad|| > 1', () => {
    expect(losses('wgan-lp').penalty).toBeCloseTo(10 * (Math.SQRT2 - 1) ** 2, 5);
  });

  it('lsgan: 0.5 mean (C(real) - 1)^2 + 0.5 mean C(fake)^2', () => {
    // 0.5 * ((0.25 + 2.25) / 2 + (6.25 + 0.25) / 2) = 2.25
    expect(losses('lsgan')).toMatchObject({ loss: 2.25, penalty: 0 });
  });

  it('gan: mean softplus(-C(real)) + mean softplus(C(fake)) on logits', () => {
    const expected = (softplus(-1.5) + softplus(0.5)) / 2 + (softplus(2.5) + softplus(0.5)) / 2;
    expect(losses('gan').loss).toBeCloseTo(expected, 5);
  });
});

describe('criticLossOf', () => {
  // C(x) = x . [1, -1] + 0.5 written with the operations alone, as an engine would build it.
  const linear = (x: tf.Tensor) => tfOps.add(tfOps.matMul(x, tfOps.constant([1, -1], [2, 1])), 0.5);
  const run = (lambda: number, epsilon?: tf.Tensor) =>
    tf.tidy(() => {
      const out = criticLossOf(tfOps, { kind: 'wgan-gp', lambda }, linear, real, fake, epsilon);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.dataSync()[0]!]));
    });

  it("gives a discriminator's loss and parts from the operations and the weights epsilon", () => {
    const gp = 10 * (Math.SQRT2 - 1) ** 2;
    const v = run(10, tf.tensor2d([[0.5], [0.5]]));
    expect(v.adversarial).toBe(1);
    expect(v.wasserstein).toBe(-1);
    expect(v.penalty).toBeCloseTo(gp, 5);
    expect(v.loss).toBeCloseTo(1 + gp, 5);
    expect(run(0)).toEqual({ loss: 1, adversarial: 1, penalty: 0, wasserstein: -1 });
  });

  it('asks for epsilon when the penalty is on', () => {
    expect(() => run(10)).toThrow(/lambda 10 needs .*'epsilon'/);
  });
});

describe('createDiscriminator', () => {
  it('clips every weight to [-clip, clip] after an update for wgan-clip only', () => {
    const clipped = createDiscriminator({ kind: 'wgan-clip', clip: 0.05, inputDim: 8, seed: 1 });
    clipped.constrain();
    const all = clipped.critic.getWeights().flatMap((w) => Array.from(w));
    expect(Math.max(...all.map(Math.abs))).toBeCloseTo(0.05, 6);
    const free = createDiscriminator({ inputDim: 8, seed: 1 });
    const before = free.critic.getWeights();
    free.constrain();
    expect(free.critic.getWeights()).toEqual(before);
    expect(free.config).toMatchObject({
      kind: 'wgan-gp',
      lambda: 10,
      clip: 0.01,
    });
    expect(clipped.config).toMatchObject({ kind: 'wgan-clip', lambda: 0, clip: 0.05 });
    expect(clipped.config.critic).toMatchObject({ kind: 'critic', inputDim: 8, seed: 1 });
    clipped.dispose();
    free.dispose();
  });

  it('lists the valid kinds and options when one is wrong', () => {
    expect(() => createDiscriminator({ kind: 'hinge' as never, inputDim: 4, seed: 0 })).toThrow(
      'createDiscriminator: option \'kind\' must be one of wgan-gp, wgan-lp, wgan-clip, lsgan, gan, got "hinge"',
    );
    expect(() => createDiscriminator({ inputDim: 4, seed: 0, gp: 10 } as never)).toThrow(
      /unknown option 'gp'; valid options are inputDim, hiddenDims, activation, leakySlope, init, seed, kind, lambda, clip/,
    );
  });

  it('rebuilds from its JSON config with the same objective and initial weights', () => {
    const d = createDiscriminator({
      kind: 'wgan-lp',
      lambda: 5,
      inputDim: 6,
      hiddenDims: [4],
      seed: 'x',
    });
    const again = discriminatorFromConfig(JSON.parse(JSON.stringify(d.config)));
    expect(again.config).toEqual(d.config);
    expect(again.critic.getWeights()).toEqual(d.critic.getWeights());
    expect(() =>
      discriminatorFromConfig({ ...d.config, critic: { kind: 'mlp' } } as never),
    ).toThrow("config.critic must be a critic's config");
    d.dispose();
    again.dispose();
  });
});
