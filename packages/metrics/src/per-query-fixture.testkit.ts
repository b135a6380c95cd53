import { readFileSync } from 'node:fs';

/** One query of `per-query.json` (scripts/make-metric-fixtures.py); null stands for NaN. */
export interface PerQueryCase {
  scores: number[];
  relevant: number[];
  sklearn: { ap: number; apAtK: Record<string, number> };
  voc: { ap: number | null; apAtK: Record<string, number | null> };
  precisionAtK: Record<string, number>;
  precisionAtKRelevant: Record<string, number | null>;
}

/** The reference cases and the cut-offs they were computed at. */
export const perQuery = JSON.parse(
  readFileSync(new URL('./__fixtures__/per-query.json', import.meta.url), 'utf8'),
) as { ks: number[]; cases: PerQueryCase[] };

/** Compares a computed value with a fixture value (null = NaN) to `tolerance`. */
export function expectClose(
  actual: number,
  expected: number | null,
  tolerance: number,
): { ok: boolean; message: string } {
  const ok = expected === null ? Number.isNaN(actual) : Math.abs(actual - expected) <= tolerance;
  return { ok, message: `expected ${expected}, got ${actual}` };
}
