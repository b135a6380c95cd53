import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationLoss } from './classification.js';
import { scalarValue } from './gradient-flow.testkit.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('classification with a learned classifier', () => {
  it('is the cross-entropy of z W + b (hand-computed with set weights)', () => {
    const loss = classificationLoss({ classes: 3, inputDim: 2 });
    expect(loss.trainableVariables.map((v) => v.shape)).toEqual([[2, 3], [3]]);
    const [W, b] = loss.trainableVariables;
    W!.assign(
      tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
      ]),
    );
    b!.assign(tf.tensor1d([0, 0, 1]));
    const z = tf.tensor2d([[2, 0]]);
    const labels = tf.tensor1d([0], 'int32');
    const r = loss({ embeddings: { sketch: z }, labels });
    // logits [2, 0, 1], class 0: log(e^2 + 1 + e) - 2
    expect(scalarValue(r.loss)).toBeCloseTo(Math.log(Math.exp(2) + 1 + Math.E) - 2, 5);
    tf.dispose([z, labels, r.loss]);
    loss.dispose();
    expect(W!.isDisposed).toBe(true);
  });

  it('sends gradients to the embeddings and the classifier weights', () => {
    const loss = classificationLoss({ classes: 4, inputDim: 3, seed: 2 });
    const sketch = tf.tensor2d([
      [0.2, -1, 0.5],
      [1, 1, 0],
    ]);
    const image = tf.tensor2d([
      [0, 0.3, 2],
      [-1, 0.1, 0.4],
    ]);
    const labels = tf.tensor1d([3, 1], 'int32');
    const { value, grads } = tf.variableGrads(
      () => loss({ embeddings: { sketch, image }, labels }).loss,
      loss.trainableVariables,
    );
    for (const v of loss.trainableVariables) {
      const g = Array.from(grads[v.name]!.dataSync());
      expect(g.every(Number.isFinite) && g.some((x) => x !== 0)).toBe(true);
    }
    const [gz] = tf.grads(
      (s: tf.Tensor) => loss({ embeddings: { sketch: s as tf.Tensor2D, image }, labels }).loss,
    )([sketch]);
    expect(Array.from(gz!.dataSync()).some((x) => x !== 0)).toBe(true);
    tf.dispose([value, gz!, sketch, image, labels, ...Object.values(grads)]);
    loss.dispose();
  });

  it('requires the number of classes', () => {
    expect(() => classificationLoss({} as never)).toThrow(
      "classification: option 'classes' is required",
    );
  });
});
