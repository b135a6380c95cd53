import { checkK, type MetricOptions, resolveMetricOptions } from './metric-options.js';
import { type QueryRelevance, type QueryScores, rankQuery } from './rank-query.js';
import { averagePrecisionRanked } from './ranked-metrics.js';

/**
 * AP@K of one query: average precision restricted to the top K of the ranking (ties at the cut
 * broken in gallery order). K larger than the gallery means the whole gallery.
 *
 * - `sklearn` (default; SEM-PCYC `apsak(sim, str_sim, k)`): scikit-learn AP computed on the top-K
 *   items alone, so recall is relative to the relevant items inside the top K; 0 when the top K
 *   holds no relevant item.
 * - `voc` (SAKE `eval_AP_inner(top=K)`, ZSE-SBIR `voc_eval(top=K)`): interpolated AP on the top K
 *   with recall denominator min(K, R); 0 when the top K holds no relevant item, NaN when R = 0.
 *
 * @param scores `[n]` similarities, higher = more similar.
 * @param relevant `[n]` 0/1 relevance.
 * @param k cut-off, a positive integer (200 in SEM-PCYC / ZSE-SBIR tables).
 */
export function averagePrecisionAtK(
  scores: QueryScores,
  relevant: QueryRelevance,
  k: number,
  options?: MetricOptions,
): number {
  const where = 'averagePrecisionAtK';
  const { protocol } = resolveMetricOptions(options, where);
  checkK(k, where);
  const q = rankQuery(scores, relevant, where);
  const top = Math.min(k, q.scores.length);
  return averagePrecisionRanked(protocol, q.relevantRanks, q.positives, q.tieEnds, top);
}
