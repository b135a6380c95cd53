import { describe, expect, it } from 'vitest';
import { averagePrecisionAtK } from './average-precision-at-k.js';
import { expectClose, perQuery } from './per-query-fixture.testkit.js';

describe('averagePrecisionAtK', () => {
  for (const protocol of ['sklearn', 'voc'] as const) {
    it(`matches the ${protocol} reference (SEM-PCYC apsak / SAKE eval_AP_inner) for every K`, () => {
      for (const [i, c] of perQuery.cases.entries()) {
        for (const k of perQuery.ks) {
          const ap = averagePrecisionAtK(c.scores, c.relevant, k, { protocol });
          const check = expectClose(ap, c[protocol].apAtK[k]!, 1e-12);
          expect(check.ok, `case ${i}, k=${k}: ${check.message}`).toBe(true);
        }
      }
    });
  }

  it('matches hand-computed values', () => {
    // Ranked relevance 0 1 0 1 1 (distinct scores), R = 3, K = 4.
    const scores = [5, 4, 3, 2, 1];
    const relevant = [0, 1, 0, 1, 1];
    // sklearn on the top 4: relevant at ranks 2 and 4 -> (1/2 + 2/4) / 2.
    expect(averagePrecisionAtK(scores, relevant, 4)).toBeCloseTo(0.5, 14);
    // voc: recall denominator min(4, 3) = 3; precisions 1/2, 2/4 -> (0.5 + 0.5) / 3.
    expect(averagePrecisionAtK(scores, relevant, 4, { protocol: 'voc' })).toBeCloseTo(1 / 3, 14);
  });

  it('gives 0 when the top K holds no relevant item, in both protocols', () => {
    expect(averagePrecisionAtK([3, 2, 1], [0, 0, 1], 2)).toBe(0);
    expect(averagePrecisionAtK([3, 2, 1], [0, 0, 1], 2, { protocol: 'voc' })).toBe(0);
  });

  it('treats K larger than the gallery as the whole gallery', () => {
    expect(averagePrecisionAtK([3, 2, 1], [0, 1, 1], 1000)).toBeCloseTo((1 / 2 + 2 / 3) / 2, 14);
  });

  it('refuses a K that is not a positive integer', () => {
    expect(() => averagePrecisionAtK([1], [1], 0)).toThrow(/k must be a positive integer, got 0/);
    expect(() => averagePrecisionAtK([1], [1], 2.5)).toThrow(/got 2\.5/);
  });
});
