import { describe, expect, it } from 'vitest';
import { itqFixture, maxAbsDiff } from './itq-fixture.testkit.js';
import { symmetricEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('matches numpy.linalg.eigh (values largest first, canonical signs)', () => {
    const { matrix, values, vectors } = itqFixture.eigen;
    const result = symmetricEigen(Float64Array.from(matrix.flat()), matrix.length);
    expect(maxAbsDiff(result.values, values)).toBeLessThan(1e-12);
    expect(maxAbsDiff(result.vectors, vectors.flat())).toBeLessThan(1e-10);
  });

  it('diagonalises a hand-checked 2 x 2 matrix', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with vectors (1, 1) / sqrt 2 and (1, -1) / sqrt 2.
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(maxAbsDiff(values, [3, 1])).toBeLessThan(1e-15);
    const h = Math.SQRT1_2;
    expect(maxAbsDiff(vectors, [h, h, h, -h])).toBeLessThan(1e-15);
  });
});
