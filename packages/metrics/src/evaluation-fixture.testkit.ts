import { readFileSync } from 'node:fs';

/** Expected results of one evaluation (scripts/make-metric-fixtures.py); null stands for NaN. */
export interface ExpectedEvaluation {
  mAPAll: number;
  mAPAllClassAveraged: number;
  mAPAtK: Record<string, number>;
  precisionAtK: Record<string, number>;
  perClassMAP: (number | null)[];
  perQueryAP: (number | null)[];
  prRaw: number[];
  prInterpolated: number[];
}

type ByProtocol = Record<'sklearn' | 'voc', ExpectedEvaluation>;

/** `evaluation.json`: small embedding sets and a heavily tied score matrix with their results. */
export const evaluation = JSON.parse(
  readFileSync(new URL('./__fixtures__/evaluation.json', import.meta.url), 'utf8'),
) as {
  ks: number[];
  queries: number[][];
  gallery: number[][];
  queryLabels: number[];
  galleryLabels: number[];
  bySimilarity: Record<string, ByProtocol>;
  tied: { scores: number[][]; queryLabels: number[]; galleryLabels: number[]; results: ByProtocol };
};

/** A row-major float32 matrix from nested arrays. */
export function matrix(rows: number[][]): { data: Float32Array; rows: number; cols: number } {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]?.length ?? 0 };
}
