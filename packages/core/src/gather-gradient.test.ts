import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { createRng } from './rng.js';
import { tf } from './tf.js';

const rng = createRng('gather');
const draw = (n: number) => Array.from(rng.fill(n, () => rng.normal()));

/** Cases of gather(x, indices, axis, batchDims) with a weighting tensor r of the output's shape. */
const cases = [
  {
    name: 'rows of a matrix (prototypes by label)',
    x: [6, 4],
    indices: [[5, 0, 2, 2, 5]],
    axis: 0,
    batchDims: 0,
  },
  { name: 'columns of a matrix', x: [3, 5], indices: [[4, 4, 1]], axis: 1, batchDims: 0 },
  {
    name: 'the middle axis of a 3-d tensor',
    x: [2, 4, 3],
    indices: [[3, 0, 3, 1]],
    axis: 1,
    batchDims: 0,
  },
  {
    name: 'batched (batchDims 1)',
    x: [2, 5, 3],
    indices: [
      [4, 1],
      [0, 0],
    ],
    axis: 1,
    batchDims: 1,
  },
];
const data = cases.map((c) => {
  const size = c.x.reduce((a, b) => a * b, 1);
  return { x: draw(size) };
});

function gradient(i: number): number[] {
  const c = cases[i]!;
  return tf.tidy(() => {
    const indices = tf.tensor(
      c.indices.length === 1 ? c.indices[0]! : c.indices,
      undefined,
      'int32',
    );
    const probe = tf.gather(tf.zeros(c.x), indices, c.axis, c.batchDims);
    const r = tf.tensor(
      draw(probe.size).map((_, j) => Math.sin(j + 1)),
      probe.shape,
    );
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(tf.gather(x, indices, c.axis, c.batchDims), r)),
    );
    return Array.from(g(tf.tensor(data[i]!.x, c.x)).dataSync());
  });
}

describe('GatherV2 gradient without UnsortedSegmentSum', () => {
  it('equals the cpu backend stock gradient on wasm, where the stock one cannot run', async () => {
    await initBackend({ backend: 'cpu' });
    const reference = cases.map((_, i) => gradient(i));
    // Hand check of the first case: row 5 is gathered twice, row 2 twice, rows 1, 3, 4 never.
    expect(reference[0]!.slice(4, 8)).toEqual([0, 0, 0, 0]);
    const report = await initBackend({ backend: 'wasm' });
    expect(report.gatherGradientFix).toBe(true);
    cases.forEach((c, i) => {
      const got = gradient(i);
      expect(got.length, c.name).toBe(reference[i]!.length);
      got.forEach((v, j) => {
        expect(v, `${c.name} [${j}]`).toBeCloseTo(reference[i]![j]!, 5);
      });
    });
  });
});
