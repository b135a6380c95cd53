import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGradientFlow, scalarValue } from './gradient-flow.testkit.js';
import { semanticRegressionLoss } from './semantic-regression.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('semantic regression', () => {
  const prototypes = () =>
    tf.tensor2d([
      [5, 5],
      [0, 1],
    ]);

  it('is the squared error to the own prototype, mean or summed over features', () => {
    const ctx = {
      embeddings: { sketch: tf.tensor2d([[1, 2]]) },
      labels: tf.tensor1d([1], 'int32'),
      prototypes: prototypes(),
    };
    // z - p_1 = [1, 1]: mean 1, sum over features 2.
    const mean = semanticRegressionLoss()(ctx);
    const sum = semanticRegressionLoss({ reduction: 'sum-features' })(ctx);
    expect(scalarValue(mean.loss)).toBeCloseTo(1, 6);
    expect(scalarValue(sum.loss)).toBeCloseTo(2, 6);
    expect(Object.keys(mean.parts)).toEqual(['sketch']);
    tf.dispose([ctx.embeddings.sketch, ctx.labels, ctx.prototypes, mean.loss, sum.loss]);
  });

  it('sends gradients to the embeddings and the prototypes', () => {
    const labels = tf.tensor1d([0, 1], 'int32');
    const loss = semanticRegressionLoss();
    expectGradientFlow(
      {
        image: tf.tensor2d([
          [1, 2],
          [3, -1],
        ]),
        prototypes: prototypes(),
      },
      (image, p) =>
        loss({ embeddings: { image: image as tf.Tensor2D }, labels, prototypes: p as tf.Tensor2D })
          .loss,
    );
    labels.dispose();
  });
});
