import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGradientFlow, scalarValue } from './gradient-flow.testkit.js';
import { tripletLoss } from './triplet.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Brute-force triplet loss over 1-d points, for reference. */
function reference(
  points: { x: number; label: number; modality: number }[],
  margin: number,
  mining: 'batch-hard' | 'batch-all',
  crossModal: boolean,
) {
  let sum = 0;
  let count = 0;
  points.forEach((a, i) => {
    const ok = (b: (typeof points)[0], j: number) =>
      j !== i && (!crossModal || b.modality !== a.modality);
    const dist = (b: (typeof points)[0]) => Math.abs(a.x - b.x);
    const pos = points.filter((b, j) => ok(b, j) && b.label === a.label).map(dist);
    const neg = points.filter((b, j) => ok(b, j) && b.label !== a.label).map(dist);
    if (mining === 'batch-hard') {
      if (pos.length && neg.length) {
        sum += Math.max(0, margin + Math.max(...pos) - Math.min(...neg));
        count++;
      }
    } else {
      for (const p of pos) {
        for (const n of neg) {
          sum += Math.max(0, margin + p - n);
          count++;
        }
      }
    }
  });
  return sum / Math.max(count, 1);
}

describe('triplet', () => {
  const sketchX = [0, 3, 1];
  const sketchY = [0, 1, 0];
  const imageX = [2, 4, 5];
  const imageY = [0, 1, 1];
  const ctx = () => ({
    embeddings: {
      sketch: tf.tensor2d(sketchX, [3, 1]),
      image: tf.tensor2d(imageX, [3, 1]),
    },
    labels: { sketch: tf.tensor1d(sketchY, 'int32'), image: tf.tensor1d(imageY, 'int32') },
  });
  const points = [
    ...sketchX.map((x, i) => ({ x, label: sketchY[i]!, modality: 0 })),
    ...imageX.map((x, i) => ({ x, label: imageY[i]!, modality: 1 })),
  ];

  it('batch-hard, cross-modal: hand-computed on two pairs', () => {
    const c = {
      embeddings: { sketch: tf.tensor2d([[0], [3]]), image: tf.tensor2d([[2], [4]]) },
      labels: tf.tensor1d([0, 1], 'int32'),
    };
    // Anchors s0, s1, i0, i1: hinges 0, 0.2, 1.2, 0 -> mean 0.35; 2 of 4 active.
    const r = tripletLoss()(c);
    expect(scalarValue(r.loss)).toBeCloseTo(0.35, 5);
    expect(scalarValue(r.parts.active!)).toBeCloseTo(0.5, 6);
  });

  it('matches a brute-force reference for every mining and pairing mode', () => {
    for (const mining of ['batch-hard', 'batch-all'] as const) {
      for (const crossModal of [true, false]) {
        const r = tripletLoss({ mining, crossModal, margin: 1.5 })(ctx());
        expect(scalarValue(r.loss)).toBeCloseTo(reference(points, 1.5, mining, crossModal), 5);
      }
    }
  });

  it('sends gradients to both modalities, with euclidean and cosine distances', () => {
    const c = ctx();
    for (const distance of ['euclidean', 'cosine'] as const) {
      const loss = tripletLoss({ distance, margin: 1 });
      expectGradientFlow(
        {
          sketch: tf.tensor2d([
            [0.1, 1],
            [1, 0.2],
            [0.3, 0.8],
          ]),
          image: tf.tensor2d([
            [0.9, 0.1],
            [0.2, 1],
            [-0.5, 0.5],
          ]),
        },
        (s, i) =>
          loss({ ...c, embeddings: { sketch: s as tf.Tensor2D, image: i as tf.Tensor2D } }).loss,
      );
    }
  });

  it('needs both modalities when crossModal', () => {
    expect(() =>
      tripletLoss()({
        embeddings: { sketch: tf.zeros([2, 2]) as tf.Tensor2D },
        labels: tf.tensor1d([0, 1], 'int32'),
      }),
    ).toThrow(/'crossModal: true' needs both 'sketch' and 'image'/);
  });
});
