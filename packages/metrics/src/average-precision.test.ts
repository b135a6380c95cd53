import { describe, expect, it } from 'vitest';
import { averagePrecision } from './average-precision.js';
import { MetricsError } from './metrics-error.js';
import { expectClose, perQuery } from './per-query-fixture.testkit.js';

describe('averagePrecision', () => {
  it('equals scikit-learn average_precision_score to 1e-12 on 100 heavily tied queries', () => {
    for (const [i, c] of perQuery.cases.entries()) {
      const check = expectClose(averagePrecision(c.scores, c.relevant), c.sklearn.ap, 1e-12);
      expect(check.ok, `case ${i}: ${check.message}`).toBe(true);
    }
  });

  it('equals the SAKE / ZSE-SBIR VOC formula to 1e-12 on the same queries', () => {
    for (const [i, c] of perQuery.cases.entries()) {
      const ap = averagePrecision(new Float64Array(c.scores), c.relevant, { protocol: 'voc' });
      const check = expectClose(ap, c.voc.ap, 1e-12);
      expect(check.ok, `case ${i}: ${check.message}`).toBe(true);
    }
  });

  it('matches hand-computed values with a tie', () => {
    // Ranked: 0.9 (rel), 0.8 (irr), 0.8 (rel), 0.1 (rel). R = 3.
    const scores = [0.8, 0.9, 0.1, 0.8];
    const relevant = [0, 1, 1, 1];
    // sklearn: thresholds 0.9 -> P=1, R=1/3; 0.8 -> P=2/3, R=2/3; 0.1 -> P=3/4, R=1.
    expect(averagePrecision(scores, relevant)).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 3, 14);
    // voc: tie kept in gallery order puts index 0 (irrelevant) first: ranks 1, 3, 4.
    // precisions 1, 2/3, 3/4, made monotone from the bottom: 1, 3/4, 3/4.
    expect(averagePrecision(scores, relevant, { protocol: 'voc' })).toBeCloseTo(
      (1 + 3 / 4 + 3 / 4) / 3,
      14,
    );
  });

  it('gives 0 (sklearn) or NaN (voc) for a query with no relevant item', () => {
    expect(averagePrecision([0.2, 0.1], [0, 0])).toBe(0);
    expect(averagePrecision([0.2, 0.1], [0, 0], { protocol: 'voc' })).toBeNaN();
  });

  it('gives 1 when every item is relevant', () => {
    expect(averagePrecision([0.2, 0.1, 0.1], [true, true, true])).toBe(1);
    expect(averagePrecision([0.2, 0.1, 0.1], [1, 1, 1], { protocol: 'voc' })).toBe(1);
  });

  it('accepts Float32Array scores and Uint8Array relevance', () => {
    const ap = averagePrecision(new Float32Array([0.5, 0.25]), new Uint8Array([0, 1]));
    expect(ap).toBe(0.5);
  });

  it('refuses NaN and infinite scores, naming the position', () => {
    expect(() => averagePrecision([0.1, Number.NaN], [0, 1])).toThrow(MetricsError);
    expect(() => averagePrecision([0.1, Number.NaN], [0, 1])).toThrow(/scores\[1\] is NaN/);
    expect(() => averagePrecision([Number.POSITIVE_INFINITY], [1])).toThrow(
      /scores\[0\] is Infinity/,
    );
  });

  it('refuses mismatched lengths and non-binary relevance', () => {
    expect(() => averagePrecision([0.1, 0.2], [1])).toThrow(
      /scores has 2 items but relevant has 1/,
    );
    expect(() => averagePrecision([0.1, 0.2], [1, 2])).toThrow(/relevant\[1\] is 2/);
  });

  it('refuses unknown options and protocols, listing the valid ones', () => {
    expect(() => averagePrecision([1], [1], { protocl: 'voc' } as never)).toThrow(
      "averagePrecision: unknown option 'protocl'; valid options are protocol",
    );
    expect(() => averagePrecision([1], [1], { protocol: 'map' as never })).toThrow(
      `averagePrecision: option 'protocol' must be one of sklearn, voc, got "map"`,
    );
  });
});
