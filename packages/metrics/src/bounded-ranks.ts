/**
 * Exact ranks of one query's relevant items from approximate scores: what {@link rankDescending}
 * followed by {@link tieGroupEnds} give, without sorting the gallery.
 *
 * Every metric of an evaluation needs only, for each relevant item r, its rank in the stable
 * descending order (items scoring higher, plus tied items earlier in the gallery) and the end of
 * its tie group (items scoring at least as high). So the relevant items' exact scores are the only
 * thresholds: each other item only has to be placed between two of them. An item whose
 * approximate score is farther than `window` from every threshold is placed by it; the few
 * within the window get their exact score. Counting those placements replaces the sort.
 */

/** Reusable buffers for {@link rankRelevantFromBounds} on galleries of up to `length` items. */
export interface BoundedRankScratch {
  relevant: Int32Array;
  relevantScores: Float64Array;
  thresholds: Float64Array;
  /** Per threshold slot: other items placed there, relevant items at it, then running counts. */
  slotCounts: Int32Array;
  relevantCounts: Int32Array;
  seen: Int32Array;
  cellStart: Int32Array;
  tiedStart: Int32Array;
  fill: Int32Array;
  ambiguous: Int32Array;
  ambiguousScores: Float64Array;
  unsortedRanks: Int32Array;
  thresholdOf: Int32Array;
}

/** Allocates scratch for galleries of up to `length` items. */
export function createBoundedRankScratch(length: number): BoundedRankScratch {
  return {
    relevant: new Int32Array(length),
    relevantScores: new Float64Array(length),
    thresholds: new Float64Array(length),
    slotCounts: new Int32Array(length + 1),
    relevantCounts: new Int32Array(length + 1),
    seen: new Int32Array(length + 1),
    cellStart: new Int32Array(2 * length + 2),
    tiedStart: new Int32Array(length + 1),
    fill: new Int32Array(length + 1),
    ambiguous: new Int32Array(length),
    ambiguousScores: new Float64Array(length),
    unsortedRanks: new Int32Array(length),
    thresholdOf: new Int32Array(length),
  };
}

/** One query's inputs to {@link rankRelevantFromBounds}. */
export interface BoundedScores {
  /** `[n]` approximate scores, each within `window` of the exact one. */
  approximate: Float64Array;
  /** Largest |approximate - exact| over the items (>= 0). */
  window: number;
  /** `[n]` gallery labels; relevant = equal to `label`. */
  labels: Int32Array;
  label: number;
  /**
   * Writes the exact scores of gallery items `items[0..count)` (ascending) into `out[0..count)`.
   */
  exact: (items: Int32Array, count: number, out: Float64Array) => void;
}

/** A lookup grid of `cells` cells over [lo, hi], the range of `m` descending thresholds. */
interface Grid {
  m: number;
  hi: number;
  lo: number;
  cells: number;
  /** 1 / cell width (0 when hi = lo). */
  scale: number;
}

/**
 * Number of thresholds (descending, `t`) strictly above `v`: a start from the grid cell of `v`
 * (`cellStart[c]` = thresholds above the top of cell c), then a short walk.
 */
function slotOf(t: Float64Array, cellStart: Int32Array, grid: Grid, v: number): number {
  const { m } = grid;
  if (v > grid.hi) return 0;
  if (v < grid.lo) return m;
  let p = cellStart[Math.min(grid.cells - 1, Math.floor((grid.hi - v) * grid.scale))]!;
  while (p > 0 && t[p - 1]! <= v) p--;
  while (p < m && t[p]! > v) p++;
  return p;
}

/**
 * Writes the ascending stable ranks of the relevant items into `relevantRanks` and the end of each
 * one's tie group into `tieEnds`, exactly as ranking the exact scores would.
 * @returns R, the number of relevant items.
 */
export function rankRelevantFromBounds(
  input: BoundedScores,
  scratch: BoundedRankScratch,
  relevantRanks: Int32Array,
  tieEnds: Int32Array,
): number {
  const { approximate, labels, label } = input;
  const n = approximate.length;
  const s = scratch;
  let positives = 0;
  for (let j = 0; j < n; j++) if (labels[j] === label) s.relevant[positives++] = j;
  if (positives === 0) return 0;
  input.exact(s.relevant, positives, s.relevantScores);

  // Distinct relevant scores, descending.
  const sorted = s.ambiguousScores.subarray(0, positives);
  sorted.set(s.relevantScores.subarray(0, positives));
  sorted.sort();
  let m = 0;
  for (let i = positives - 1; i >= 0; i--) {
    const v = sorted[i]!;
    if (m === 0 || v !== s.thresholds[m - 1]) s.thresholds[m++] = v;
  }
  const t = s.thresholds;
  const hi = t[0]!;
  const lo = t[m - 1]!;

  // A grid of 2m cells over [lo, hi]: cellStart[c] = thresholds above the top of cell c.
  const cells = 2 * m;
  const width = (hi - lo) / cells;
  const grid: Grid = { m, hi, lo, cells, scale: width > 0 ? 1 / width : 0 };
  const { cellStart } = s;
  for (let c = 0, p = 0; c <= cells; c++) {
    const top = hi - c * width;
    while (p < m && t[p]! > top) p++;
    cellStart[c] = p;
  }
  // |approximate - threshold| > this implies the same order for the exact score (the margin
  // covers the rounding of the subtraction).
  const margin = input.window * (1 + 2 ** -40) + Number.MIN_VALUE;
  const counts = s.slotCounts;
  counts.fill(0, 0, m + 1);
  let ambiguous = 0;
  for (let j = 0; j < n; j++) {
    if (labels[j] === label) continue;
    const v = approximate[j]!;
    const p = slotOf(t, cellStart, grid, v);
    if ((p > 0 && t[p - 1]! - v <= margin) || (p < m && v - t[p]! <= margin)) {
      s.ambiguous[ambiguous++] = j;
    } else {
      counts[p]!++;
    }
  }
  // Exact scores of the ambiguous items; those equal to a threshold are tied with its relevant
  // items and kept apart (their gallery order decides the stable rank).
  input.exact(s.ambiguous, ambiguous, s.ambiguousScores);
  let tied = 0;
  for (let a = 0; a < ambiguous; a++) {
    const v = s.ambiguousScores[a]!;
    const p = slotOf(t, cellStart, grid, v);
    if (p < m && t[p] === v) {
      s.ambiguous[tied] = s.ambiguous[a]!;
      s.thresholdOf[tied++] = p;
    } else counts[p]!++;
  }

  // Relevant items per threshold, and where each sits.
  const relevantAt = s.relevantCounts;
  relevantAt.fill(0, 0, m);
  for (let r = 0; r < positives; r++) {
    const p = slotOf(t, cellStart, grid, s.relevantScores[r]!);
    s.unsortedRanks[r] = p;
    relevantAt[p]!++;
  }
  // Tied other items grouped by threshold, in gallery order (counting sort on the threshold).
  const { tiedStart, fill } = s;
  tiedStart.fill(0, 0, m + 1);
  for (let e = 0; e < tied; e++) tiedStart[s.thresholdOf[e]! + 1]!++;
  for (let i = 0; i < m; i++) tiedStart[i + 1]! += tiedStart[i]!;
  const tiedItems = s.ambiguousScores; // reused as storage for item indices
  for (let i = 0; i < m; i++) fill[i] = tiedStart[i]!;
  for (let e = 0; e < tied; e++) tiedItems[fill[s.thresholdOf[e]!]!++] = s.ambiguous[e]!;
  // Per threshold i: above[i] = items scoring strictly higher.
  const above = s.seen;
  let higher = 0;
  for (let i = 0; i < m; i++) {
    higher += counts[i]!;
    above[i] = higher;
    higher += relevantAt[i]! + tiedStart[i + 1]! - tiedStart[i]!;
  }
  // Walk relevant items in gallery order: rank = above + earlier ties (relevant and other).
  for (let i = 0; i < m; i++) fill[i] = tiedStart[i]!;
  const relevantSeen = s.relevantCounts;
  const relevantPer = s.thresholdOf;
  for (let i = 0; i < m; i++) relevantPer[i] = relevantAt[i]!;
  relevantSeen.fill(0, 0, m);
  for (let r = 0; r < positives; r++) {
    const i = s.unsortedRanks[r]!;
    const item = s.relevant[r]!;
    while (fill[i]! < tiedStart[i + 1]! && tiedItems[fill[i]!]! < item) fill[i]!++;
    s.unsortedRanks[r] = above[i]! + relevantSeen[i]!++ + (fill[i]! - tiedStart[i]!);
  }
  relevantRanks.set(s.unsortedRanks.subarray(0, positives));
  relevantRanks.subarray(0, positives).sort();
  // Tie ends: relevant items sorted by rank come threshold by threshold.
  let j = 0;
  for (let i = 0; i < m; i++) {
    const end = above[i]! + relevantPer[i]! + (tiedStart[i + 1]! - tiedStart[i]!);
    for (let c = 0; c < relevantPer[i]!; c++) tieEnds[j++] = end;
  }
  return positives;
}
