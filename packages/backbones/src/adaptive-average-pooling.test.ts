import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveAveragePooling2D, adaptivePoolingWeights } from './adaptive-average-pooling.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('adaptivePoolingWeights', () => {
  it('matches PyTorch windows: 5 -> 3 averages [0,1], [1,2,3], [3,4]', () => {
    const w = adaptivePoolingWeights(5, 3);
    const half = 1 / 2;
    const third = 1 / 3;
    expect([...w]).toEqual(
      [half, half, 0, 0, 0, 0, third, third, third, 0, 0, 0, 0, half, half].map(Math.fround),
    );
  });

  it('copies cells when upsampling 2 -> 7 (cells 0-3 from 0, 3-6 from 1)', () => {
    const w = adaptivePoolingWeights(2, 7);
    const rows = Array.from({ length: 7 }, (_, i) => [w[i * 2], w[i * 2 + 1]]);
    expect(rows).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0.5, 0.5],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });
});

describe('AdaptiveAveragePooling2D', () => {
  it('averages each output window of a [2, 5, 4, 3] map, per channel', () => {
    const [b, h, w, c] = [2, 5, 4, 3];
    const values = Float32Array.from({ length: b * h * w * c }, (_, i) => Math.sin(i) * 10);
    const at = (n: number, y: number, x: number, k: number) =>
      values[((n * h + y) * w + x) * c + k]!;
    const layer = new AdaptiveAveragePooling2D({ size: 3 });
    const out = tf.tidy(() => layer.apply(tf.tensor4d(values, [b, h, w, c])) as tf.Tensor);
    expect(out.shape).toEqual([b, 3, 3, c]);
    const got = out.arraySync() as number[][][][];
    out.dispose();
    const win = (i: number, n: number, s: number) => [
      Math.floor((i * n) / s),
      Math.ceil(((i + 1) * n) / s),
    ];
    for (let n = 0; n < b; n++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const [y0, y1] = win(i, h, 3);
          const [x0, x1] = win(j, w, 3);
          for (let k = 0; k < c; k++) {
            let sum = 0;
            for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) sum += at(n, y, x, k);
            expect(got[n]![i]![j]![k]).toBeCloseTo(sum / ((y1! - y0!) * (x1! - x0!)), 4);
          }
        }
      }
    }
  });

  it('passes a map of the output size through unchanged', () => {
    const x = tf.randomNormal([1, 7, 7, 2], 0, 1, 'float32', 3);
    const y = new AdaptiveAveragePooling2D({ size: 7 }).apply(x) as tf.Tensor;
    expect(y.arraySync()).toEqual(x.arraySync());
    tf.dispose([x, y]);
  });
});
