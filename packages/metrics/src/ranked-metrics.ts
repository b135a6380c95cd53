import type { Protocol } from './protocol';

/**
 * Metric kernels on one query's ranked list: `rel[i]` is 1 when the item at rank i (0-based) is
 * relevant, `scores[i]` its score. Ranks come from {@link rankDescending} (ties in gallery order).
 * These are the formulas of the reference evaluators, written once and shared by the functional
 * API and the block evaluator.
 */

/**
 * scikit-learn's `average_precision_score` over the first `length` ranked items: items with equal
 * scores form one threshold, AP = sum over thresholds of (recall_t - recall_{t-1}) * precision_t,
 * recall relative to the relevant items inside those `length` items.
 * @returns 0 when none of the `length` items is relevant (SEM-PCYC `apsak`; scikit-learn too).
 */
export function sklearnAveragePrecisionRanked(
  rel: Uint8Array,
  scores: Float64Array,
  length: number,
): number {
  let positives = 0;
  for (let i = 0; i < length; i++) positives += rel[i]!;
  if (positives === 0) return 0;
  let tp = 0;
  let ap = 0;
  let prevRecall = 0;
  let i = 0;
  while (i < length) {
    const s = scores[i]!;
    let groupTp = 0;
    let end = i;
    while (end < length && scores[end] === s) groupTp += rel[end++]!;
    if (groupTp > 0) {
      tp += groupTp;
      const recall = tp / positives;
      ap += (recall - prevRecall) * (tp / end);
      prevRecall = recall;
    }
    i = end;
  }
  return ap;
}

/**
 * VOC-style interpolated AP over the first `length` ranked items (SAKE `eval_AP_inner` +
 * `VOCap`, ZSE-SBIR `voc_eval` + `voc_ap`): precision at each relevant item replaced by the
 * highest precision at or below it in the list, summed with recall steps of 1 / `totalPositives`.
 * @param totalPositives recall denominator: R for AP over the whole list, min(K, R) for AP@K.
 * @returns NaN when `totalPositives` is 0 (the references divide by zero and take `nanmean`).
 */
export function vocAveragePrecisionRanked(
  rel: Uint8Array,
  length: number,
  totalPositives: number,
): number {
  if (totalPositives === 0) return Number.NaN;
  let ap = 0;
  let best = 0;
  let tp = 0;
  for (let i = 0; i < length; i++) tp += rel[i]!;
  // Walk upwards so `best` is the maximum precision at this rank or below.
  for (let i = length - 1; i >= 0; i--) {
    if (rel[i] === 0) continue;
    const precision = tp / (i + 1);
    if (precision > best) best = precision;
    ap += (tp / totalPositives - (tp - 1) / totalPositives) * best;
    tp--;
  }
  return ap;
}

/**
 * AP over the first `top` ranked items under `protocol`: {@link sklearnAveragePrecisionRanked},
 * or {@link vocAveragePrecisionRanked} with recall denominator min(top, positives) (R when `top`
 * is the whole list).
 */
export function averagePrecisionRanked(
  protocol: Protocol,
  rel: Uint8Array,
  scores: Float64Array,
  top: number,
  positives: number,
): number {
  return protocol === 'sklearn'
    ? sklearnAveragePrecisionRanked(rel, scores, top)
    : vocAveragePrecisionRanked(rel, top, Math.min(top, positives));
}

/**
 * Precision among the top `k` ranked items of a list of `n`, with `positives` relevant in all.
 * - denominator `k`: hits in the top min(k, n) over min(k, n).
 * - denominator `relevant`: hits in the top min(k, positives) over min(k, positives); NaN when
 *   `positives` is 0.
 */
export function precisionAtKRanked(
  rel: Uint8Array,
  n: number,
  k: number,
  positives: number,
  denominator: 'k' | 'relevant',
): number {
  const top = denominator === 'k' ? Math.min(k, n) : Math.min(k, positives);
  if (top === 0) return denominator === 'k' ? 0 : Number.NaN;
  let hits = 0;
  for (let i = 0; i < top; i++) hits += rel[i]!;
  return hits / top;
}
