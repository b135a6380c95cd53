import { checkK, type PrecisionOptions, resolveMetricOptions } from './metric-options.js';
import { type QueryRelevance, type QueryScores, rankQuery } from './rank-query.js';
import { precisionAtKRanked } from './ranked-metrics.js';

/**
 * P@K of one query: the fraction of relevant items among the top K (ties at the cut broken in
 * gallery order).
 *
 * With the default `denominator: 'k'` both protocols divide the hits in the top min(K, n) by
 * min(K, n) (SEM-PCYC `precak`, SAKE `eval_precision`); a query with no relevant item scores 0.
 * `denominator: 'relevant'` divides the hits in the top min(K, R) by min(K, R) (ZSE-SBIR
 * `precision_eval`), NaN when R = 0.
 *
 * @param scores `[n]` similarities, higher = more similar.
 * @param relevant `[n]` 0/1 relevance.
 * @param k cut-off, a positive integer (100 and 200 in the published tables).
 */
export function precisionAtK(
  scores: QueryScores,
  relevant: QueryRelevance,
  k: number,
  options?: PrecisionOptions,
): number {
  const where = 'precisionAtK';
  const { denominator } = resolveMetricOptions(options, where, ['protocol', 'denominator']);
  checkK(k, where);
  const q = rankQuery(scores, relevant, where);
  return precisionAtKRanked(q.relevantRanks, q.positives, q.scores.length, k, denominator);
}
