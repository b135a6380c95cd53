import { describe, expect, it } from 'vitest';
import { lcg } from './lcg.testkit.js';
import { createRankScratch, rankDescending } from './rank-descending.js';

function reference(scores: Float64Array): number[] {
  return Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

describe('rankDescending', () => {
  const random = lcg(42);
  const cases: [string, Float64Array][] = [
    ['distinct normal-ish', Float64Array.from({ length: 5000 }, () => random() * 4 - 2)],
    ['heavy ties', Float64Array.from({ length: 3000 }, () => Math.floor(random() * 5) / 4 - 0.5)],
    [
      'same upper word, different lower word',
      Float64Array.from({ length: 500 }, () => 1 + random() * 1e-9),
    ],
    [
      'long same-upper-word runs',
      Float64Array.from({ length: 400 }, (_, i) => 1 + (i % 3) * 1e-12),
    ],
    [
      'negatives, zero, huge and tiny',
      new Float64Array([-1e300, 0, 5e-324, -5e-324, 1e300, -2, 2, 0]),
    ],
    ['single item', new Float64Array([3])],
    ['empty', new Float64Array([])],
  ];
  for (const [name, scores] of cases) {
    it(`orders ${name} like a stable descending sort`, () => {
      const order = new Uint32Array(scores.length);
      expect(rankDescending(scores, order)).toBe(-1);
      expect(Array.from(order)).toEqual(reference(scores));
    });
  }

  it('ranks -0 as +0 (ties in gallery order) and reports the first non-finite score', () => {
    const order = new Uint32Array(4);
    expect(rankDescending(new Float64Array([-0, 1, 0, -1]), order)).toBe(-1);
    expect(Array.from(order)).toEqual([1, 0, 2, 3]);
    expect(
      rankDescending(new Float64Array([1, Number.NEGATIVE_INFINITY, Number.NaN, 0]), order),
    ).toBe(1);
    expect(rankDescending(new Float64Array([1, 2, Number.NaN]), new Uint32Array(3))).toBe(2);
  });

  it('reuses scratch buffers across queries', () => {
    const scratch = createRankScratch(4);
    const order = new Uint32Array(4);
    rankDescending(new Float64Array([1, 2, 3, 4]), order, scratch);
    expect(Array.from(order)).toEqual([3, 2, 1, 0]);
    rankDescending(new Float64Array([4, 4, 1, 4]), order, scratch);
    expect(Array.from(order)).toEqual([0, 1, 3, 2]);
  });
});
