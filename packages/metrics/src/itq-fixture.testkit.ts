import { readFileSync } from 'node:fs';

/** `itq.json` (scripts/make-itq-fixtures.py): numpy results for eigen, Procrustes and ITQ tests. */
export const itqFixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/itq.json', import.meta.url), 'utf8'),
) as {
  eigen: { matrix: number[][]; values: number[]; vectors: number[][] };
  rotation: { matrix: number[][]; nearest: number[][]; nuclearNorm: number };
  itq: {
    features: number[][];
    bits: number;
    iterations: number;
    initialRotation: number[][];
    projection: number[][];
    rotation: number[][];
    codes: number[][];
  };
};

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? max : Number.POSITIVE_INFINITY;
}
