import { MetricsError } from './metrics-error.js';
import { rankDescending } from './rank-descending.js';
import { tieGroupEnds } from './ranked-metrics.js';

/** Scores of one query against a gallery: `[n]`, higher = more similar. */
export type QueryScores = Float32Array | Float64Array | readonly number[];

/** Relevance of each gallery item to one query: `[n]` of 0/1 (or booleans). */
export type QueryRelevance = Uint8Array | readonly boolean[] | readonly number[];

/** One query's gallery in ranked order (highest score first, ties in gallery order). */
export interface RankedQuery {
  /** Ranks (0-based, ascending) of the relevant items. */
  relevantRanks: Int32Array;
  /** Number of relevant items, R. */
  positives: number;
  /** `[n]` scores by rank. */
  scores: Float64Array;
  /** For each relevant item, the number of items scoring at least as high (end of its tie group). */
  tieEnds: Int32Array;
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
  const values = Float64Array.from(scores);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = relevant[i];
    if (r !== 0 && r !== 1 && r !== true && r !== false) {
      throw new MetricsError(`${where}: relevant[${i}] is ${String(r)}; expected 0/1 or a boolean`);
    }
    flags[i] = r ? 1 : 0;
  }
  const order = new Uint32Array(n);
  const bad = rankDescending(values, order);
  if (bad >= 0) {
    throw new MetricsError(
      `${where}: scores[${bad}] is ${values[bad]}; scores must be finite numbers`,
    );
  }
  const relevantRanks = new Int32Array(n);
  const ranked = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    ranked[i] = values[order[i]!]!;
    if (flags[order[i]!] === 1) relevantRanks[positives++] = i;
  }
  const tieEnds = new Int32Array(positives);
  tieGroupEnds(relevantRanks, positives, ranked, tieEnds);
  return { relevantRanks, positives, scores: ranked, tieEnds };
}
