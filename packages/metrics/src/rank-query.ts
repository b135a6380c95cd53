import { MetricsError } from './metrics-error';
import { rankDescending } from './rank-descending';

/** Scores of one query against a gallery: `[n]`, higher = more similar. */
export type QueryScores = Float32Array | Float64Array | readonly number[];

/** Relevance of each gallery item to one query: `[n]` of 0/1 (or booleans). */
export type QueryRelevance = Uint8Array | readonly boolean[] | readonly number[];

/** One query's gallery in ranked order (highest score first, ties in gallery order). */
export interface RankedQuery {
  /** `[n]` relevance (0/1) by rank. */
  rel: Uint8Array;
  /** `[n]` scores by rank. */
  scores: Float64Array;
  /** Number of relevant items, R. */
  positives: number;
}

/**
 * Validates one query's scores and relevance and ranks them.
 * @param where the calling function, for error messages.
 * @throws {MetricsError} for mismatched lengths, NaN or infinite scores, relevance other than 0/1.
 */
export function rankQuery(
  scores: QueryScores,
  relevant: QueryRelevance,
  where: string,
): RankedQuery {
  const n = scores.length;
  if (relevant.length !== n) {
    throw new MetricsError(
      `${where}: scores has ${n} items but relevant has ${relevant.length}; they must match`,
    );
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) {
      throw new MetricsError(`${where}: scores[${i}] is ${s}; scores must be finite numbers`);
    }
    values[i] = s + 0;
  }
  const flags = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const r = relevant[i];
    if (r !== 0 && r !== 1 && r !== true && r !== false) {
      throw new MetricsError(`${where}: relevant[${i}] is ${String(r)}; expected 0/1 or a boolean`);
    }
    flags[i] = r ? 1 : 0;
    positives += flags[i]!;
  }
  const order = new Uint32Array(n);
  rankDescending(values, order);
  const rel = new Uint8Array(n);
  const ranked = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rel[i] = flags[order[i]!]!;
    ranked[i] = values[order[i]!]!;
  }
  return { rel, scores: ranked, positives };
}
