import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGradientFlow, scalarValue } from './gradient-flow.testkit.js';
import { reconstructionLoss } from './reconstruction.js';
import { sideInfoLoss } from './side-info-reconstruction.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('reconstruction', () => {
  it('is L1 (default) or L2 between decoder outputs and visual features, per modality', () => {
    const output = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const target = tf.zeros([2, 2]) as tf.Tensor2D;
    const half = tf.tensor2d([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    const ctx = {
      reconstructions: { sketch: { output, target }, image: { output: half, target } },
    };
    const l1 = reconstructionLoss()(ctx);
    // sketch: mean |.| = 2.5; image: 0.5.
    expect(scalarValue(l1.parts.sketch!)).toBeCloseTo(2.5, 6);
    expect(scalarValue(l1.loss)).toBeCloseTo(3, 6);
    const l2 = reconstructionLoss({ norm: 'l2' })({
      reconstructions: { sketch: { output, target } },
    });
    expect(scalarValue(l2.loss)).toBeCloseTo(7.5, 6);
    const rows = reconstructionLoss({ reduction: 'sum-features' })({
      reconstructions: { sketch: { output, target } },
    });
    expect(scalarValue(rows.loss)).toBeCloseTo(5, 6);
    tf.dispose([output, target, half, l1.loss, l2.loss, rows.loss, ...Object.values(l1.parts)]);
  });

  it('sends gradients to the decoder outputs', () => {
    const target = tf.tensor2d([[0.5, -1, 2]]);
    const loss = reconstructionLoss();
    expectGradientFlow(
      { sketch: tf.tensor2d([[1, 1, 1]]), image: tf.tensor2d([[0, 0, 3]]) },
      (s, i) =>
        loss({
          reconstructions: {
            sketch: { output: s as tf.Tensor2D, target },
            image: { output: i as tf.Tensor2D, target },
          },
        }).loss,
    );
    target.dispose();
  });

  it('names the missing context field', () => {
    expect(() => reconstructionLoss()({})).toThrow(
      "reconstruction: the context needs 'reconstructions' ({ sketch?, image? } of { output, target })",
    );
    expect(() => reconstructionLoss()({ reconstructions: {} })).toThrow(
      "reconstruction: the context's 'reconstructions' has neither 'sketch' nor 'image'",
    );
  });
});

describe('side-info autoencoder', () => {
  it('is the mean squared error of the reconstruction (default), or L1', () => {
    const input = tf.tensor2d([[1, 1]]);
    const reconstruction = tf.tensor2d([[0, 3]]);
    const l2 = sideInfoLoss()({ sideInfo: { input, reconstruction } });
    const l1 = sideInfoLoss({ norm: 'l1' })({ sideInfo: { input, reconstruction } });
    expect(scalarValue(l2.loss)).toBeCloseTo(2.5, 6);
    expect(scalarValue(l1.loss)).toBeCloseTo(1.5, 6);
    expect(l2.parts).toEqual({});
    expectGradientFlow(
      { reconstruction },
      (r) => sideInfoLoss()({ sideInfo: { input, reconstruction: r as tf.Tensor2D } }).loss,
    );
    tf.dispose([input, reconstruction, l1.loss, l2.loss]);
  });
});
