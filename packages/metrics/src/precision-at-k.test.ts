import { describe, expect, it } from 'vitest';
import { expectClose, perQuery } from './per-query-fixture.testkit.js';
import { precisionAtK } from './precision-at-k.js';

describe('precisionAtK', () => {
  it('matches SEM-PCYC precak / SAKE eval_precision for every K (ties in gallery order)', () => {
    for (const [i, c] of perQuery.cases.entries()) {
      for (const k of perQuery.ks) {
        for (const protocol of ['sklearn', 'voc'] as const) {
          const check = expectClose(
            precisionAtK(c.scores, c.relevant, k, { protocol }),
            c.precisionAtK[k]!,
            1e-15,
          );
          expect(check.ok, `case ${i}, k=${k}: ${check.message}`).toBe(true);
        }
      }
    }
  });

  it("matches ZSE-SBIR precision_eval with denominator 'relevant'", () => {
    for (const [i, c] of perQuery.cases.entries()) {
      for (const k of perQuery.ks) {
        const p = precisionAtK(c.scores, c.relevant, k, { denominator: 'relevant' });
        const check = expectClose(p, c.precisionAtKRelevant[k]!, 1e-15);
        expect(check.ok, `case ${i}, k=${k}: ${check.message}`).toBe(true);
      }
    }
  });

  it('breaks ties at the cut in gallery order', () => {
    // Items 1 and 2 tie; the earlier (irrelevant) one takes the last top-2 slot.
    expect(precisionAtK([0.9, 0.5, 0.5], [1, 0, 1], 2)).toBe(0.5);
    expect(precisionAtK([0.9, 0.5, 0.5], [1, 1, 0], 2)).toBe(1);
  });

  it('divides by the gallery size when K exceeds it, and gives 0 with no relevant item', () => {
    expect(precisionAtK([3, 2, 1], [1, 0, 1], 100)).toBeCloseTo(2 / 3, 15);
    expect(precisionAtK([3, 2, 1], [0, 0, 0], 2)).toBe(0);
    expect(precisionAtK([3, 2, 1], [0, 0, 0], 2, { denominator: 'relevant' })).toBeNaN();
  });

  it('refuses an unknown denominator', () => {
    expect(() => precisionAtK([1], [1], 1, { denominator: 'n' as never })).toThrow(
      /option 'denominator' must be one of k, relevant, got "n"/,
    );
  });
});
