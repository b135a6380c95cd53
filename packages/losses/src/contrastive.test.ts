import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastiveLoss } from './contrastive.js';
import { expectGradientFlow, scalarValue } from './gradient-flow.testkit.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('contrastive', () => {
  const ctx = () => ({
    embeddings: { sketch: tf.tensor2d([[0], [3]]), image: tf.tensor2d([[1], [2]]) },
    labels: tf.tensor1d([0, 1], 'int32'),
  });

  it('is mean over sketch-image pairs of [y d^2 + (1 - y) max(0, m - d)^2] / 2 (hand-computed)', () => {
    // Pairs (s, i): (0,1) y=1 d=1; (0,2) y=0 d=2; (3,1) y=0 d=2; (3,2) y=1 d=1.
    const m1 = contrastiveLoss()(ctx());
    expect(scalarValue(m1.parts.positive!)).toBeCloseTo(0.25, 5);
    expect(scalarValue(m1.parts.negative!)).toBeCloseTo(0, 6);
    const m3 = contrastiveLoss({ margin: 3 })(ctx());
    expect(scalarValue(m3.parts.negative!)).toBeCloseTo(0.25, 5);
    expect(scalarValue(m3.loss)).toBeCloseTo(0.5, 5);
  });

  it('sends gradients to both modalities', () => {
    const c = ctx();
    const loss = contrastiveLoss({ margin: 2 });
    expectGradientFlow(
      {
        sketch: tf.tensor2d([
          [0.5, 1],
          [1, -1],
        ]),
        image: tf.tensor2d([
          [1, 0.5],
          [0, 0.3],
        ]),
      },
      (s, i) =>
        loss({ ...c, embeddings: { sketch: s as tf.Tensor2D, image: i as tf.Tensor2D } }).loss,
    );
  });
});
