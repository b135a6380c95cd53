import { describe, expect, it } from 'vitest';
import { itqFixture, maxAbsDiff } from './itq-fixture.testkit.js';
import { nearestRotation } from './nearest-rotation.js';

function gram(r: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) out[i * n + j]! += r[k * n + i]! * r[k * n + j]!;
    }
  }
  return out;
}

function identity(n: number): Float64Array {
  return Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
}

describe('nearestRotation', () => {
  it('equals U Vᵀ of numpy.linalg.svd', () => {
    const { matrix, nearest } = itqFixture.rotation;
    const r = nearestRotation(Float64Array.from(matrix.flat()), matrix.length);
    expect(maxAbsDiff(r, nearest.flat())).toBeLessThan(1e-12);
  });

  it('returns a rotation reaching trace(Rᵀ M) = sum of singular values, even for a singular M', () => {
    const n = 4;
    // Rank 2: the last two columns are zero.
    const m = new Float64Array([3, 1, 0, 0, -1, 2, 0, 0, 0.5, 0, 0, 0, 2, -1, 0, 0]);
    const r = nearestRotation(m, n);
    expect(maxAbsDiff(gram(r, n), identity(n))).toBeLessThan(1e-12);
    let trace = 0;
    for (let i = 0; i < n * n; i++) trace += r[i]! * m[i]!;
    // Singular values of the 4 x 2 block [[3,1],[-1,2],[0.5,0],[2,-1]] from its Gram matrix.
    const [a, b, c] = [9 + 1 + 0.25 + 4, 3 - 2 - 2, 1 + 4 + 1];
    const root = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const nuclear = Math.sqrt((a + c) / 2 + root) + Math.sqrt((a + c) / 2 - root);
    expect(trace).toBeCloseTo(nuclear, 12);
  });
});
