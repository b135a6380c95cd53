/**
 * Thrown for invalid metric inputs: lengths that do not match, NaN or infinite scores (the
 * message names the query), unknown protocols, similarities or option names (the message lists
 * the valid ones).
 */
export class MetricsError extends Error {
  override name = 'MetricsError';
}
