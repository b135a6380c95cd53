import { initBackend, tf } from '@zs-sbir/core';
import { afterAll, describe, expect, it } from 'vitest';
import { gatherRows } from './gather-rows.js';

afterAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('gatherRows', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`selects rows and passes gradients back to them on ${backend}`, async () => {
      await initBackend({ backend });
      const m = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const idx = tf.tensor1d([2, 0, 2], 'int32');
      const rows = gatherRows(m, idx);
      expect(rows.arraySync()).toEqual([
        [5, 6],
        [1, 2],
        [5, 6],
      ]);
      // d sum(rows * w) / d m: row 2 receives w_0 + w_2, row 0 receives w_1, row 1 nothing.
      const w = tf.tensor2d([
        [1, 10],
        [100, 1000],
        [2, 20],
      ]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gatherRows(x as tf.Tensor2D, idx), w)))(m);
      expect(g.arraySync()).toEqual([
        [100, 1000],
        [0, 0],
        [3, 30],
      ]);
      tf.dispose([m, idx, rows, w, g]);
    });
  }
});
