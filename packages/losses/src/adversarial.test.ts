import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adversarialLoss } from './adversarial.js';
import { expectGradientFlow, scalarValue } from './gradient-flow.testkit.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const col = (...v: number[]) => tf.tensor2d(v, [v.length, 1]);
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('adversarial (projector side)', () => {
  it('wasserstein: -mean C(fake) per critic, plus mean C(real) when real is projected', () => {
    const scores = {
      sketch: { fake: col(1, 3) },
      image: { fake: col(-1, 1) },
    };
    const semantic = adversarialLoss()({ criticScores: scores });
    // -2 - 0
    expect(scalarValue(semantic.loss)).toBeCloseTo(-2, 6);
    expect(scalarValue(semantic.parts.sketch!)).toBeCloseTo(-2, 6);
    expect(scalarValue(semantic.parts.image!)).toBeCloseTo(0, 6);
    const cross = adversarialLoss()({
      criticScores: { 'cross-modal': { real: col(2, 4), fake: col(0, 2) } },
    });
    // mean C(z_sk) - mean C(z_im) = 3 - 1: the Wasserstein-1 estimate both projectors shrink.
    expect(scalarValue(cross.loss)).toBeCloseTo(2, 6);
    tf.dispose([semantic, cross].flatMap((r) => [r.loss, ...Object.values(r.parts)]));
  });

  it('lsgan: 0.5 mean (f - 1)^2 + 0.5 mean r^2; gan: mean softplus(-f) + mean softplus(r)', () => {
    const ctx = { criticScores: { c: { fake: col(1, 3), real: col(2, 0) } } };
    // lsgan: 0.5 * (0 + 4) / 2 + 0.5 * (4 + 0) / 2 = 2
    expect(scalarValue(adversarialLoss({ kind: 'lsgan' })(ctx).loss)).toBeCloseTo(2, 6);
    const gan = (softplus(-1) + softplus(-3)) / 2 + (softplus(2) + softplus(0)) / 2;
    expect(scalarValue(adversarialLoss({ kind: 'gan' })(ctx).loss)).toBeCloseTo(gan, 5);
  });

  it('sends gradients to fake scores and, for the cross-modal critic, real scores', () => {
    for (const kind of ['wasserstein', 'lsgan', 'gan'] as const) {
      const loss = adversarialLoss({ kind });
      expectGradientFlow(
        { fake: col(0.5, -1), real: col(2, 0.3) },
        (fake, real) =>
          loss({ criticScores: { 'cross-modal': { fake: fake!, real: real! } } }).loss,
      );
    }
  });

  it('lists the valid kinds and says what is missing', () => {
    expect(() => adversarialLoss({ kind: 'hinge' as never })).toThrow(
      'adversarial: option \'kind\' must be one of wasserstein, lsgan, gan, got "hinge"',
    );
    expect(() => adversarialLoss()({ criticScores: {} })).toThrow("'criticScores' is empty");
  });
});
