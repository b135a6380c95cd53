import type { Protocol } from './protocol.js';

/**
 * Metric kernels on one query's ranking, the formulas of the reference evaluators written once
 * and shared by the functional API and the block evaluator. A ranking is given by
 * `relevantRanks`, the 0-based ranks of the relevant items in ascending order (ranked by
 * {@link rankDescending}: highest score first, ties in gallery order), and `tieEnds`, for each
 * relevant item the number of items scoring at least as high ({@link tieGroupEnds}). Work is O(R).
 */

/** How many of the ascending `ranks` are below `limit`. */
export function countBelow(ranks: Int32Array, count: number, limit: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranks[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Writes into `tieEnds[j]` the end (exclusive rank) of the group of items tied with relevant item
 * j, i.e. the number of items scoring at least as high as it, given `scores` by rank.
 * Work: O(R) plus the length of tie groups that hold relevant items.
 */
export function tieGroupEnds(
  relevantRanks: Int32Array,
  positives: number,
  scores: Float64Array,
  tieEnds: Int32Array,
): void {
  const n = scores.length;
  let end = 0;
  for (let j = 0; j < positives; j++) {
    const rank = relevantRanks[j]!;
    if (rank >= end) {
      const s = scores[rank]!;
      end = rank + 1;
      while (end < n && scores[end] === s) end++;
    }
    tieEnds[j] = end;
  }
}

/**
 * scikit-learn's `average_precision_score` over the first `length` ranked items: items with equal
 * scores form one threshold, AP = sum over thresholds of (recall_t - recall_{t-1}) * precision_t,
 * recall relative to the relevant items inside those `length` items.
 * @param positives number of entries of `relevantRanks` (R).
 * @param tieEnds from {@link tieGroupEnds} (over the whole list; cut at `length` here).
 * @returns 0 when none of the `length` items is relevant (SEM-PCYC `apsak`; scikit-learn too).
 */
export function sklearnAveragePrecisionRanked(
  relevantRanks: Int32Array,
  positives: number,
  tieEnds: Int32Array,
  length: number,
): number {
  const inside = countBelow(relevantRanks, positives, length);
  if (inside === 0) return 0;
  let tp = 0;
  let ap = 0;
  let prevRecall = 0;
  let j = 0;
  while (j < inside) {
    // The tie group of this relevant item ends at `end` (exclusive).
    const end = Math.min(tieEnds[j]!, length);
    while (j < inside && relevantRanks[j]! < end) {
      tp++;
      j++;
    }
    const recall = tp / inside;
    ap += (recall - prevRecall) * (tp / end);
    prevRecall = recall;
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
  relevantRanks: Int32Array,
  positives: number,
  length: number,
  totalPositives: number,
): number {
  if (totalPositives === 0) return Number.NaN;
  let ap = 0;
  let best = 0;
  // Walk upwards so `best` is the maximum precision at this rank or below.
  for (let tp = countBelow(relevantRanks, positives, length); tp > 0; tp--) {
    const precision = tp / (relevantRanks[tp - 1]! + 1);
    if (precision > best) best = precision;
    ap += (tp / totalPositives - (tp - 1) / totalPositives) * best;
  }
  return ap;
}

/**
 * AP over the first `top` ranked items under `protocol`: {@link sklearnAveragePrecisionRanked},
 * or {@link vocAveragePrecisionRanked} with recall denominator min(top, R) (R when `top` is the
 * whole list).
 */
export function averagePrecisionRanked(
  protocol: Protocol,
  relevantRanks: Int32Array,
  positives: number,
  tieEnds: Int32Array,
  top: number,
): number {
  return protocol === 'sklearn'
    ? sklearnAveragePrecisionRanked(relevantRanks, positives, tieEnds, top)
    : vocAveragePrecisionRanked(relevantRanks, positives, top, Math.min(top, positives));
}

/**
 * Precision among the top `k` of `n` ranked items, R = `positives` of them relevant.
 * - denominator `k`: hits in the top min(k, n) over min(k, n).
 * - denominator `relevant`: hits in the top min(k, R) over min(k, R); NaN when R is 0.
 */
export function precisionAtKRanked(
  relevantRanks: Int32Array,
  positives: number,
  n: number,
  k: number,
  denominator: 'k' | 'relevant',
): number {
  const top = denominator === 'k' ? Math.min(k, n) : Math.min(k, positives);
  if (top === 0) return denominator === 'k' ? 0 : Number.NaN;
  return countBelow(relevantRanks, positives, top) / top;
}
