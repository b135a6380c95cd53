import { type MetricOptions, resolveMetricOptions } from './metric-options.js';
import { type QueryRelevance, type QueryScores, rankQuery } from './rank-query.js';
import { averagePrecisionRanked } from './ranked-metrics.js';

/**
 * Average precision of one query over the whole gallery.
 *
 * - `sklearn` (default): equals scikit-learn's `average_precision_score(relevant, scores)`
 *   (SEM-PCYC, Doodle2Search): tied scores form one threshold, so ties are order-independent;
 *   0 when no item is relevant.
 * - `voc`: SAKE / ZSE-SBIR interpolated AP on the stable ranking (ties in gallery order);
 *   NaN when no item is relevant (those evaluators drop such queries with `nanmean`).
 *
 * @param scores `[n]` similarity of each gallery item, higher = more similar; finite.
 * @param relevant `[n]` 1 (or true) for items of the query's class.
 * @throws {MetricsError} for mismatched lengths, NaN/infinite scores or unknown options.
 */
export function averagePrecision(
  scores: QueryScores,
  relevant: QueryRelevance,
  options?: MetricOptions,
): number {
  const where = 'averagePrecision';
  const { protocol } = resolveMetricOptions(options, where);
  const q = rankQuery(scores, relevant, where);
  return averagePrecisionRanked(protocol, q.relevantRanks, q.positives, q.tieEnds, q.scores.length);
}
