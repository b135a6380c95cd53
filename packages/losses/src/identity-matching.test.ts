import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGradientFlow, scalarValue } from './gradient-flow.testkit.js';
import { identityMatchingLoss } from './identity-matching.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const P = () =>
  tf.tensor2d([
    [1, 0],
    [0, 1],
    [-1, 0],
  ]);

describe('identity matching', () => {
  it('is the cross-entropy of cos(z, p_c) / tau over all prototypes (hand-computed)', () => {
    const prototypes = P();
    const sketch = tf.tensor2d([
      [2, 0],
      [0, -3],
    ]);
    const image = tf.tensor2d([[1, 1]]);
    const labels = { sketch: tf.tensor1d([0, 2], 'int32'), image: tf.tensor1d([1], 'int32') };
    const { loss, parts } = identityMatchingLoss({ tau: 0.5 })({
      embeddings: { sketch, image },
      labels,
      prototypes,
    });
    // Sketch row 0: cos = [1, 0, -1], logits [2, 0, -2], class 0: log(1 + e^-2 + e^-4).
    // Sketch row 1: cos = [0, -1, 0], logits [0, -2, 0], class 2: log(2 + e^-2).
    const e = Math.exp;
    const sk = (Math.log(1 + e(-2) + e(-4)) + Math.log(2 + e(-2))) / 2;
    // Image: cos = [r, r, -r] with r = 1/sqrt 2, logits 2 * that, class 1.
    const s = Math.SQRT2;
    const im = Math.log(2 * e(s) + e(-s)) - s;
    expect(scalarValue(parts.sketch!)).toBeCloseTo(sk, 5);
    expect(scalarValue(parts.image!)).toBeCloseTo(im, 5);
    expect(scalarValue(loss)).toBeCloseTo(sk + im, 5);
    tf.dispose([
      prototypes,
      sketch,
      image,
      labels.sketch,
      labels.image,
      loss,
      ...Object.values(parts),
    ]);
  });

  it('sends finite, non-zero gradients to both embeddings and the prototypes', () => {
    const labels = tf.tensor1d([0, 1], 'int32');
    const loss = identityMatchingLoss();
    expectGradientFlow(
      {
        sketch: tf.tensor2d([
          [0.3, -1],
          [2, 0.5],
        ]),
        image: tf.tensor2d([
          [1, 0.2],
          [-0.4, 0.9],
        ]),
        prototypes: P(),
      },
      (sketch, image, prototypes) =>
        loss({
          embeddings: { sketch: sketch as tf.Tensor2D, image: image as tf.Tensor2D },
          labels,
          prototypes: prototypes as tf.Tensor2D,
        }).loss,
    );
    labels.dispose();
  });

  it('defaults to tau = 0.1 and rejects a non-positive temperature', () => {
    expect(identityMatchingLoss().options).toEqual({ tau: 0.1 });
    expect(() => identityMatchingLoss({ tau: 0 })).toThrow(
      "identity: option 'tau' must be a finite number > 0, got 0",
    );
    expect(() => identityMatchingLoss()({ embeddings: {} })).toThrow(
      "identity: the context needs 'prototypes' ([classes, d])",
    );
  });
});
