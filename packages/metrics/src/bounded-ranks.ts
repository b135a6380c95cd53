import { MetricsError } from './metrics-error.js';

/**
 * Exact ranks of one query's relevant items from approximate scores: what {@link rankDescending}
 * followed by {@link tieGroupEnds} give, without sorting the gallery.
 *
 * Every metric of an evaluation needs only, for each relevant item r, its rank in the stable
 * descending order (items scoring higher, plus tied items earlier in the gallery) and the end of
 * its tie group (items scoring at least as high). So the relevant items' exact scores are the only
 * thresholds: each other item only has to be placed between two of them. An item whose
 * approximate score is farther than `window` from every threshold is placed by it; the few
 * within the window get their exact score. Counting those placements replaces the sort. A
 * relevant item whose approximate score is more than twice the window from every other item's
 * needs no exact score either: its order is already proven (see {@link rankRelevantFromBounds}).
 *
 * The JavaScript here is the reference. With a scratch that lives in the WebAssembly kernel's
 * memory (a {@link BoundedRanker}, from `createBoundedDotKernel`), the same steps run there
 * (`bounded-rank-bodies.ts`), with the same float64 operations, so they give the same ranks.
 */

/** Element type of a scratch array. */
type ScratchKind = 'i32' | 'f64';

/**
 * The scratch arrays of {@link rankRelevantFromBounds}: name, element type and length for
 * galleries of up to n items of which at most r are relevant to a query (the largest class).
 * Their order is that of {@link BoundedRankScratch.pointers}, the table through which the
 * WebAssembly ranking (`bounded-rank-bodies.ts`) finds them. Arrays of thresholds (at most one a
 * relevant item) and of relevant items take r; those of items of the gallery n.
 */
export const RANK_SCRATCH_ARRAYS = [
  ['relevant', 'i32', (_, r) => r],
  ['relevantScores', 'f64', (_, r) => r],
  ['thresholds', 'f64', (_, r) => r],
  ['slotCounts', 'i32', (_, r) => r + 2],
  ['relevantCounts', 'i32', (_, r) => r + 1],
  ['seen', 'i32', (_, r) => r + 1],
  ['cellStart', 'i32', (_, r) => 2 * r + 2],
  ['tiedStart', 'i32', (_, r) => r + 1],
  ['fill', 'i32', (_, r) => r + 1],
  ['ambiguous', 'i32', (n) => n],
  ['ambiguousScores', 'f64', (n) => n],
  ['unsortedRanks', 'i32', (_, r) => r],
  ['thresholdOf', 'i32', (n) => n],
  ['relevantStart', 'i32', (_, r) => r + 1],
  ['cellSlot', 'i32', (n) => CELLS_PER_ITEM * n + 8],
  ['candidates', 'i32', (n) => n],
  ['laneCounts', 'i32', (_, r) => 4 * (r + 2)],
  ['approximateThresholds', 'f64', (_, r) => r],
  ['order', 'i32', (_, r) => r],
  ['buckets', 'i32', (_, r) => r + 1],
  ['approximateSlot', 'i32', (_, r) => r],
  ['exactSlot', 'i32', (_, r) => r],
  ['keyOfApproximate', 'i32', (_, r) => r],
  ['keyOfExact', 'i32', (_, r) => r],
  ['neededIndex', 'i32', (_, r) => r],
  ['near', 'i32', (_, r) => r + 1],
  ['keySlotOf', 'i32', (_, r) => r + 1],
  ['keyCounts', 'i32', (_, r) => r + 1],
  ['neededItems', 'i32', (_, r) => r],
  ['neededOf', 'i32', (_, r) => r],
  ['neededScores', 'f64', (_, r) => r],
  ['labels', 'i32', (n) => n],
  ['ranks', 'i32', (_, r) => r],
  ['tieEnds', 'i32', (_, r) => r],
] as const satisfies readonly (readonly [string, ScratchKind, (n: number, r: number) => number])[];

/** Name of a scratch array. */
export type RankScratchArray = (typeof RANK_SCRATCH_ARRAYS)[number][0];

/** Reusable buffers for {@link rankRelevantFromBounds} on galleries of up to `length` items. */
export interface BoundedRankScratch {
  /** Most relevant items a query may have (the arrays' `r`). */
  maxRelevant: number;
  /** The WebAssembly ranking over these buffers, for the scores it serves (see {@link BoundedRanker}). */
  ranker: BoundedRanker | undefined;
  /**
   * Byte offset of each array of {@link RANK_SCRATCH_ARRAYS} in its buffer, in that order (for
   * scratch in WebAssembly memory).
   */
  pointers: Int32Array;
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
  /** Per threshold: index of its first relevant item in the sorted ranks. */
  relevantStart: Int32Array;
  /**
   * Fine cells (see {@link countByCells}): 4 x the slot of each clean cell, or of the trash slot
   * for a dirty cell (one whose items need the exact check).
   */
  cellSlot: Int32Array;
  /** Items that fell into dirty cells. */
  candidates: Int32Array;
  /** `[slot, 4]` counts of the WebAssembly counting pass (`countCells`), four interleaved histograms. */
  laneCounts: Int32Array;
  /** Distinct approximate scores of the relevant items, descending. */
  approximateThresholds: Float64Array;
  /** Indices in sorted order, for {@link distinctDescending}. */
  order: Int32Array;
  /** Bucket starts of {@link distinctDescending}. */
  buckets: Int32Array;
  /** Per relevant item: index of its approximate score in `approximateThresholds`. */
  approximateSlot: Int32Array;
  /** Per relevant item that needs its exact score: index of that score among the exact keys. */
  exactSlot: Int32Array;
  /** Index in the keys of each isolated approximate threshold, and of each exact key. */
  keyOfApproximate: Int32Array;
  keyOfExact: Int32Array;
  /** Per relevant item: its index among those that need their exact score. */
  neededIndex: Int32Array;
  /** Per approximate threshold: > 0 when some other item is not apart from it. */
  near: Int32Array;
  /** Per slot among the approximate thresholds: the slot among the keys. */
  keySlotOf: Int32Array;
  /** Items per slot among the keys. */
  keyCounts: Int32Array;
  /** Relevant items that need their exact score: gallery index, index among the relevant. */
  neededItems: Int32Array;
  neededOf: Int32Array;
  neededScores: Float64Array;
  /** The gallery labels, for the WebAssembly ranking (copied by its {@link BoundedRanker}). */
  labels: Int32Array;
  /** The WebAssembly ranking's results: relevant ranks and tie ends. */
  ranks: Int32Array;
  tieEnds: Int32Array;
  /** Grid of the current query: top, 1 / cell width, index of the bottom cell. */
  cellTop: number;
  cellScale: number;
  cellLast: number;
}

/** Most fine cells per gallery item. */
export const CELLS_PER_ITEM = 2;

/**
 * The whole of {@link rankRelevantFromBounds} after the relevant items are listed, done in
 * WebAssembly over a scratch that lives in its memory (see `createBoundedDotKernel`).
 */
export interface BoundedRanker {
  /** The scores it ranks: used only when a query's `approximate` is this very array. */
  scores: Float64Array;
  /**
   * Ranks the `positives` relevant items in `scratch.relevant` into `scratch.ranks` and
   * `scratch.tieEnds`, with `margin` as {@link rankRelevantFromBounds} computes it (finite).
   */
  rank(input: BoundedScores, positives: number, margin: number): void;
}

const ELEMENT = { i32: Int32Array, f64: Float64Array } as const;

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * Bytes of a {@link BoundedRankScratch} for `length` items, at most `maxRelevant` (default
 * `length`) of them relevant to a query, placed in memory (16-byte aligned).
 */
export function boundedRankScratchBytes(length: number, maxRelevant = length): number {
  let bytes = align16(RANK_SCRATCH_ARRAYS.length * 4);
  for (const [, kind, size] of RANK_SCRATCH_ARRAYS) {
    bytes += align16(size(length, maxRelevant) * ELEMENT[kind].BYTES_PER_ELEMENT);
  }
  return bytes;
}

/**
 * Allocates scratch for galleries of up to `length` items, at most `maxRelevant` (default
 * `length`) of them relevant to a query: plain arrays, or, with `region`, views into
 * `region.buffer` from its 16-byte aligned `byteOffset` on ({@link boundedRankScratchBytes}
 * bytes), with their offsets in `pointers`.
 */
export function createBoundedRankScratch(
  length: number,
  region?: { buffer: ArrayBuffer | SharedArrayBuffer; byteOffset: number },
  maxRelevant = length,
): BoundedRankScratch {
  const count = RANK_SCRATCH_ARRAYS.length;
  let at = region?.byteOffset ?? 0;
  const pointers = region ? new Int32Array(region.buffer, at, count) : new Int32Array(count);
  at += align16(count * 4);
  const arrays: Record<string, Int32Array | Float64Array> = {};
  for (const [i, [name, kind, size]] of RANK_SCRATCH_ARRAYS.entries()) {
    const type = ELEMENT[kind];
    const elements = size(length, maxRelevant);
    if (region) {
      arrays[name] = new type(region.buffer as ArrayBuffer, at, elements);
      pointers[i] = at;
      at += align16(elements * type.BYTES_PER_ELEMENT);
    } else arrays[name] = new type(elements);
  }
  return {
    ...(arrays as unknown as Omit<BoundedRankScratch, 'ranker' | 'pointers' | 'maxRelevant'>),
    maxRelevant,
    ranker: undefined,
    pointers,
    cellTop: 0,
    cellScale: 0,
    cellLast: 0,
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
  /** The items with `labels[j] === label`, ascending, when the caller has them (else a scan). */
  relevantItems?: Int32Array;
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
 * Writes the distinct values of `values[0..count)` into `out`, descending, and for each value its
 * index there into `indexOf`; returns how many. A bucket pass over the indices (bucket index
 * monotone in the value) then an insertion sort that only moves indices within their bucket;
 * clustered values that would make it quadratic fall back to a full sort.
 */
function distinctDescending(
  values: Float64Array,
  count: number,
  order: Int32Array,
  buckets: Int32Array,
  out: Float64Array,
  indexOf: Int32Array,
): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = count / (hi - lo);
  let sorted = scale > 0 && scale < Number.POSITIVE_INFINITY;
  if (sorted) {
    buckets.fill(0, 0, count + 1);
    for (let i = 0; i < count; i++) {
      buckets[Math.min(count - 1, ((hi - values[i]!) * scale) | 0) + 1]!++;
    }
    for (let b = 0; b < count; b++) buckets[b + 1]! += buckets[b]!;
    for (let i = 0; i < count; i++) {
      order[buckets[Math.min(count - 1, ((hi - values[i]!) * scale) | 0)]!++] = i;
    }
    let budget = 8 * count;
    for (let i = 1; i < count && sorted; i++) {
      const o = order[i]!;
      const v = values[o]!;
      let j = i - 1;
      while (j >= 0 && values[order[j]!]! < v) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = o;
      budget -= i - 1 - j;
      if (budget < 0) sorted = false;
    }
  }
  if (!sorted) {
    const indices = order.subarray(0, count);
    for (let i = 0; i < count; i++) indices[i] = i;
    indices.sort((a, b) => values[b]! - values[a]!);
  }
  let m = 0;
  for (let i = 0; i < count; i++) {
    const o = order[i]!;
    const v = values[o]!;
    if (m === 0 || v !== out[m - 1]) out[m++] = v;
    indexOf[o] = m - 1;
  }
  return m;
}

/** A grid of 2m cells over the `m` descending thresholds `t`, for {@link slotOf}. */
function buildGrid(t: Float64Array, m: number, cellStart: Int32Array): Grid {
  const hi = t[0]!;
  const lo = t[m - 1]!;
  const cells = 2 * m;
  const width = (hi - lo) / cells;
  // cellStart[c] = thresholds above the top of cell c.
  for (let c = 0, p = 0; c <= cells; c++) {
    const top = hi - c * width;
    while (p < m && t[p]! > top) p++;
    cellStart[c] = p;
  }
  return { m, hi, lo, cells, scale: width > 0 ? 1 / width : 0 };
}

/**
 * Writes the ascending stable ranks of the relevant items into `relevantRanks` and the end of each
 * one's tie group into `tieEnds`, exactly as ranking the exact scores would.
 *
 * Which scores are computed exactly. Let w be `window` (|a_j - e_j| <= w for every item j,
 * a = approximate, e = exact) and call two items apart when |a_i - a_j| > 2w: then their
 * intervals [a - w, a + w] are disjoint, so e_i > e_j exactly when a_i > a_j, and e_i != e_j.
 * 1. A relevant item r apart from every other item is *isolated*: its order against every item is
 *    that of the approximate scores, with no tie, so its stable rank is the number of items j with
 *    a_j > a_r and its tie group ends one after it. Its key is a_r; it needs no exact score.
 * 2. Every other relevant item gets its exact score as its key.
 * Keys order the relevant items as their exact scores do, ties included: two exact keys trivially;
 * an isolated a_r against any relevant s is apart from a_s, and |e_s - a_r| >= |a_s - a_r| - w > w
 * >= |e_r - a_r|, so e_s lies on the same side of a_r as of e_r, and is equal to neither.
 * 3. A non-relevant item j is compared with the keys by a value v_j, and v_j against a key is on
 *    the same side as e_j against that item's e_r, equal exactly when e_j = e_r:
 *    - against an isolated key a_r: j is apart from r (else r would not be isolated), so both a_j
 *      and e_j (|e_j - a_r| > w, as above) are on the side of a_r that e_j is of e_r; never equal;
 *    - against an exact key e_r: v_j = a_j when |a_j - e_r| > w (then e_j, within w of a_j, is on
 *      the same side; always the case when j is apart from r, as |a_j - e_r| >= |a_j - a_r| - w),
 *      else v_j = e_j, computed.
 * So with the keys as thresholds every item lands in the slot (number of distinct keys above it)
 * and the tie class that its exact score gives, and the ranks and tie ends below, which only count
 * items above, tied before, and tied with each key, are the exact ones.
 * The comparisons carry a margin over w (`margin`, `apart` = 2 margin) that covers the rounding of
 * the subtractions. Items apart from every relevant item (nearly all) are counted in one pass by
 * their approximate scores against the relevant items' approximate scores; as shown they sit
 * above exactly the relevant items whose a_r exceeds a_j, an upper set in the keys' order as
 * well, so their slot among the keys is the number of distinct keys in that set.
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
  if (input.relevantItems) positives = input.relevantItems.length;
  else for (let j = 0; j < n; j++) positives += labels[j] === label ? 1 : 0;
  if (positives > s.maxRelevant) {
    throw new MetricsError(
      `rankRelevantFromBounds: label ${label} has ${positives} gallery items, more than the ${s.maxRelevant} the scratch was made for`,
    );
  }
  if (positives === 0) return 0;
  if (input.relevantItems) s.relevant.set(input.relevantItems);
  else {
    for (let j = 0, r = 0; j < n; j++) {
      s.relevant[r] = j;
      r += labels[j] === label ? 1 : 0;
    }
  }
  // |approximate - value| > margin implies the same order for the exact score (the margin covers
  // the rounding of the subtraction); > apart, that the two items' intervals are disjoint.
  const margin = input.window * (1 + 2 ** -40) + Number.MIN_VALUE;
  if (s.ranker && approximate === s.ranker.scores && Number.isFinite(margin)) {
    s.ranker.rank(input, positives, margin);
    relevantRanks.set(s.ranks.subarray(0, positives));
    tieEnds.set(s.tieEnds.subarray(0, positives));
    return positives;
  }
  const apart = 2 * margin;
  const keys = s.relevantScores;
  for (let r = 0; r < positives; r++) keys[r] = approximate[s.relevant[r]!]!;

  // Pass 1, on the relevant items' approximate scores (thresholds tA): count every item apart
  // from all of them into its slot; mark the thresholds that some other item is not apart from.
  const tA = s.approximateThresholds;
  const { approximateSlot } = s;
  const mA = distinctDescending(keys, positives, s.order, s.buckets, tA, approximateSlot);
  const { cellStart } = s;
  let grid = buildGrid(tA, mA, cellStart);
  const countsA = s.slotCounts;
  countsA.fill(0, 0, mA + 2);
  const candidates = countByCells(approximate, tA, mA, apart, s);
  // The relevant items themselves were counted by `countByCells` if their cell was clean.
  const near = s.near; // difference array over the thresholds tA
  near.fill(0, 0, mA + 1);
  for (let r = 0; r < positives; r++) {
    const c = cellOf(keys[r]!, s.cellTop, s.cellScale, s.cellLast);
    countsA[s.cellSlot[c]! >> 2]!--;
  }
  // Two relevant items with the same approximate score are not apart.
  const multiplicity = s.thresholdOf;
  multiplicity.fill(0, 0, mA);
  for (let r = 0; r < positives; r++) multiplicity[approximateSlot[r]!]!++;
  for (let i = 0; i < mA; i++) {
    if (multiplicity[i]! > 1) {
      near[i]!++;
      near[i + 1]!--;
    }
    // Neighbouring thresholds not apart (the gaps grow with the distance, so neighbours suffice).
    if (i > 0 && tA[i - 1]! - tA[i]! <= apart) {
      near[i - 1]!++;
      near[i + 1]!--;
    }
  }
  let pending = 0;
  for (let e = 0; e < candidates; e++) {
    const j = s.candidates[e]!;
    if (labels[j] === label) continue;
    const v = approximate[j]!;
    const p = slotOf(tA, cellStart, grid, v);
    if ((p > 0 && tA[p - 1]! - v <= apart) || (p < mA && v - tA[p]! <= apart)) {
      // Thresholds tA[from..to) are not apart from v (tA[i] - v decreases with i).
      let lo = 0;
      let hi = p;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (tA[mid]! - v <= apart) hi = mid;
        else lo = mid + 1;
      }
      const from = lo;
      lo = p;
      hi = mA;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v - tA[mid]! > apart) hi = mid;
        else lo = mid + 1;
      }
      near[from]!++;
      near[lo]!--;
      s.ambiguous[pending++] = j;
    } else {
      countsA[p]!++;
    }
  }
  for (let i = 1; i < mA; i++) near[i]! += near[i - 1]!;

  // Keys: the exact score of each relevant item that is not isolated.
  let needed = 0;
  for (let r = 0; r < positives; r++) {
    if (near[approximateSlot[r]!]! > 0) {
      s.neededItems[needed] = s.relevant[r]!;
      s.neededIndex[r] = needed;
      s.neededOf[needed++] = r;
    }
  }
  input.exact(s.neededItems, needed, s.neededScores);
  for (let k = 0; k < needed; k++) keys[s.neededOf[k]!] = s.neededScores[k]!;
  // Distinct keys, descending: the exact ones sorted, merged with the isolated approximate ones
  // (already in tA); a key of each kind is never equal to one of the other (shown above).
  const exactKeys = s.ambiguousScores; // free until the ambiguous items' scores
  const { exactSlot, keyOfApproximate, keyOfExact } = s;
  const mE = distinctDescending(s.neededScores, needed, s.order, s.buckets, exactKeys, exactSlot);
  const t = s.thresholds;
  let m = 0;
  for (let i = 0, e = 0; i < mA || e < mE; ) {
    if (i < mA && near[i]! > 0) {
      i++;
      continue;
    }
    // Distinct within each kind, and never equal across kinds: each value is a new key.
    if (e >= mE || (i < mA && tA[i]! > exactKeys[e]!)) {
      keyOfApproximate[i] = m;
      t[m++] = tA[i++]!;
    } else {
      keyOfExact[e] = m;
      t[m++] = exactKeys[e++]!;
    }
  }
  // The grid of tA is not needed any more.
  grid = buildGrid(t, m, cellStart);

  // Relevant items per key, and where each sits.
  const relevantAt = s.relevantCounts;
  relevantAt.fill(0, 0, m);
  // keySlotOf[p]: distinct keys above the items of slot p of pass 1 (max over the relevant items
  // whose approximate score is above them of key index + 1).
  const { keySlotOf } = s;
  keySlotOf.fill(0, 0, mA + 1);
  for (let r = 0; r < positives; r++) {
    // The key's index in t, which is the number of keys above it.
    const i0 = approximateSlot[r]!;
    const p = near[i0]! > 0 ? keyOfExact[exactSlot[s.neededIndex[r]!]!]! : keyOfApproximate[i0]!;
    s.unsortedRanks[r] = p;
    relevantAt[p]!++;
    const i = approximateSlot[r]! + 1;
    if (p + 1 > keySlotOf[i]!) keySlotOf[i] = p + 1;
  }
  const counts = s.keyCounts;
  counts.fill(0, 0, m + 1);
  counts[0]! += countsA[0]!;
  for (let p = 1; p <= mA; p++) {
    if (keySlotOf[p - 1]! > keySlotOf[p]!) keySlotOf[p] = keySlotOf[p - 1]!;
    counts[keySlotOf[p]!]! += countsA[p]!;
  }

  // Pass 2: the items not apart from some relevant item, against the keys; those within the
  // margin of a key get their exact score.
  let ambiguous = 0;
  for (let e = 0; e < pending; e++) {
    const j = s.ambiguous[e]!;
    const v = approximate[j]!;
    const p = slotOf(t, cellStart, grid, v);
    if ((p > 0 && t[p - 1]! - v <= margin) || (p < m && v - t[p]! <= margin)) {
      s.ambiguous[ambiguous++] = j;
    } else {
      counts[p]!++;
    }
  }
  // Exact scores of the ambiguous items; those equal to a key are tied with its relevant items
  // and kept apart (their gallery order decides the stable rank).
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
  // Ranks ascend threshold by threshold, and in gallery order within one: each goes straight to
  // its place in the sorted output.
  const { relevantStart } = s;
  relevantStart[0] = 0;
  for (let i = 0; i < m; i++) relevantStart[i + 1] = relevantStart[i]! + relevantPer[i]!;
  for (let r = 0; r < positives; r++) {
    const i = s.unsortedRanks[r]!;
    const item = s.relevant[r]!;
    while (fill[i]! < tiedStart[i + 1]! && tiedItems[fill[i]!]! < item) fill[i]!++;
    const seen = relevantSeen[i]!++;
    relevantRanks[relevantStart[i]! + seen] = above[i]! + seen + (fill[i]! - tiedStart[i]!);
  }
  // Tie ends: relevant items sorted by rank come threshold by threshold.
  let j = 0;
  for (let i = 0; i < m; i++) {
    const end = above[i]! + relevantPer[i]! + (tiedStart[i + 1]! - tiedStart[i]!);
    for (let c = 0; c < relevantPer[i]!; c++) tieEnds[j++] = end;
  }
  return positives;
}

/**
 * Cell of `v` on the fine grid: 0 above `top`, `last` (= cells + 1) at or below its bottom, else
 * 1 + floor((top - v) x scale). Branch-free.
 */
function cellOf(v: number, top: number, scale: number, last: number): number {
  return Math.min(last, Math.max(0, (top - v) * scale + 1)) | 0;
}

/**
 * The counting pass: a fine grid of cells over the thresholds' range, padded by twice `margin`;
 * a cell is clean when no item in it can be within `margin` of a threshold, so every item in it
 * is unambiguous and has the cell's slot. Each item is counted in its cell's slot, or
 * appended to `candidates` when its cell is dirty (has the trash slot, `m + 1`). Returns the number of candidates; relevant items are
 * counted like the others (the caller takes them out again).
 */
function countByCells(
  approximate: Float64Array,
  t: Float64Array,
  m: number,
  margin: number,
  s: BoundedRankScratch,
): number {
  const n = approximate.length;
  const hi = t[0]!;
  const lo = t[m - 1]!;
  // The pad keeps cells 0 and last clean: an item there is farther than margin from hi / lo even
  // after the rounding of the cell index.
  const pad = 2 * margin + 2 ** -40 * (Math.abs(hi) + Math.abs(lo)) + Number.MIN_VALUE;
  let top = hi + pad;
  const span = hi - lo + 2 * pad;
  const cells = Math.max(1, Math.min(CELLS_PER_ITEM * n, Math.ceil(span / margin)));
  let scale = cells / span;
  if (!(Number.isFinite(top) && scale > 0 && scale < Infinity)) {
    // A range too small or too large for the grid's arithmetic (subnormal or overflowing): every
    // item lands in cell 1, which the marking below makes dirty, so each gets the exact check.
    top = 0;
    scale = 0;
  }
  const last = cells + 1;
  const trash = m + 1;
  const { cellSlot, candidates } = s;
  s.cellTop = top;
  s.cellScale = scale;
  s.cellLast = last;
  // Slot of each cell (x 4): thresholds above its middle (cells with a threshold near are made
  // dirty below).
  cellSlot[0] = 0;
  cellSlot[last] = 4 * m;
  let c = 1;
  for (let i = 0; i < m; i++) {
    const end = Math.min(cells, Math.floor((top - t[i]!) * scale + 0.5));
    if (end >= c) cellSlot.fill(4 * i, c, end + 1);
    c = Math.max(c, end + 1);
  }
  if (c <= cells) cellSlot.fill(4 * m, c, cells + 1);
  // Dirty cells get the trash slot: those of the items within margin of a threshold. In cell
  // units, x = (top - v) x scale, an item lands in cell floor(x) + 1, and |v - t_i| <= margin puts
  // x in [a, b] = [(top - t_i - margin) scale, (top - t_i + margin) scale]: cells floor(a) + 1 to
  // floor(b) + 1. Each of x, a and b is computed with a few roundings of relative size 2^-53 on
  // values of at most cells + 2 (the pad keeps every such item inside the grid), far less than the
  // allowance. A clean cell so has no item within margin of a threshold and no threshold within
  // the allowance of its range, so every item in it is on the side of each threshold that its
  // middle is (the slot above).
  const allowance = 2 ** -40 * (cells + 2);
  for (let i = 0; i < m; i++) {
    const from = Math.max(1, Math.floor((top - t[i]! - margin) * scale - allowance) + 1);
    const to = Math.min(cells, Math.floor((top - t[i]! + margin) * scale + allowance) + 1);
    for (let d = from; d <= to; d++) cellSlot[d] = 4 * trash;
  }
  if (scale === 0) cellSlot[1] = 4 * trash;
  // Each item into its cell's slot, or into the candidates from a dirty cell. (The WebAssembly
  // `countCells` counts into four interleaved histograms, then adds them up.)
  const counts = s.slotCounts;
  let k = 0;
  for (let j = 0; j < n; j++) {
    const slot = cellSlot[cellOf(approximate[j]!, top, scale, last)]! >> 2;
    if (slot === trash) candidates[k++] = j;
    else counts[slot]!++;
  }
  return k;
}
