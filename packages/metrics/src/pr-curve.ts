/** Recall levels of the raw curve: 0.01, 0.02, ..., 1. */
export const RAW_RECALL_LEVELS = 100;
/** Recall levels of the interpolated curve: 0, 0.1, ..., 1 (the PASCAL VOC 11 points). */
export const INTERPOLATED_RECALL_LEVELS = 11;

/**
 * Writes one query's precision-recall curve from the ascending 0-based ranks of its `positives`
 * relevant items; NaN at every level when the query has no relevant item.
 *
 * - `raw[i]`: precision at the first rank where recall reaches (i + 1) / 100.
 * - `interpolated[i]`: the highest precision at any rank with recall >= i / 10.
 *
 * @param raw `[RAW_RECALL_LEVELS]` output.
 * @param interpolated `[INTERPOLATED_RECALL_LEVELS]` output.
 * @param precisions scratch of at least `positives` entries.
 */
export function queryPrCurve(
  relevantRanks: Int32Array,
  positives: number,
  raw: Float64Array,
  interpolated: Float64Array,
  precisions: Float64Array,
): void {
  if (positives === 0) {
    raw.fill(Number.NaN);
    interpolated.fill(Number.NaN);
    return;
  }
  for (let j = 0; j < positives; j++) precisions[j] = (j + 1) / (relevantRanks[j]! + 1);
  for (let level = 1; level <= RAW_RECALL_LEVELS; level++) {
    // First relevant item j (1-based) with j / positives >= level / 100.
    const j = Math.ceil((level * positives) / RAW_RECALL_LEVELS);
    raw[level - 1] = precisions[j - 1]!;
  }
  // Envelope: best precision at this relevant item or any later one.
  for (let j = positives - 2; j >= 0; j--) {
    if (precisions[j + 1]! > precisions[j]!) precisions[j] = precisions[j + 1]!;
  }
  const steps = INTERPOLATED_RECALL_LEVELS - 1;
  for (let level = 0; level <= steps; level++) {
    const j = Math.max(1, Math.ceil((level * positives) / steps));
    interpolated[level] = precisions[j - 1]!;
  }
}
