/** Scratch buffers for {@link rankDescending}, reusable across queries of the same length. */
export interface RankScratch {
  keys: Uint32Array;
  keys2: Uint32Array;
  order2: Uint32Array;
  counts: Uint32Array;
}

const DIGIT_BITS = [11, 11, 10] as const;
const SHORT_RUN = 24;

/** Allocates scratch buffers for ranking `length` scores. */
export function createRankScratch(length: number): RankScratch {
  return {
    keys: new Uint32Array(length),
    keys2: new Uint32Array(length),
    order2: new Uint32Array(length),
    counts: new Uint32Array(3 * 2048),
  };
}

/**
 * Writes into `order` the indices of `scores` sorted by score, highest first; equal scores keep
 * ascending index order (a stable sort, like `np.argsort(-scores, kind='stable')`).
 *
 * An LSD radix sort on the upper 32 bits of each float64 (sign, exponent and 20 mantissa bits),
 * then a pass that orders runs sharing those bits by the full value. `-0` ranks as `+0`.
 *
 * @param scores `[n]` scores, higher = more similar.
 * @param order `[n]` output permutation.
 * @returns -1, or the index of the first NaN or infinite score (then `order` is not a ranking).
 */
export function rankDescending(
  scores: Float64Array,
  order: Uint32Array,
  scratch: RankScratch = createRankScratch(scores.length),
): number {
  const n = scores.length;
  const words = new Uint32Array(scores.buffer, scores.byteOffset, n * 2);
  const hiOffset = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  let keys = scratch.keys;
  let keys2 = scratch.keys2;
  let src = order;
  let dst = scratch.order2;
  const { counts } = scratch;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    let hi = words[2 * i + hiOffset]!;
    if ((hi & 0x7ff00000) === 0x7ff00000) return i;
    if (hi === 0x80000000 && scores[i] === 0) hi = 0;
    // Ascending-order key of the float's upper word, then inverted for descending order.
    const key = ~(hi & 0x80000000 ? ~hi : hi | 0x80000000) >>> 0;
    keys[i] = key;
    src[i] = i;
    counts[key & 0x7ff]!++;
    counts[2048 + ((key >>> 11) & 0x7ff)]!++;
    counts[4096 + (key >>> 22)]!++;
  }
  let shift = 0;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 2048;
    const size = 1 << DIGIT_BITS[pass]!;
    const mask = size - 1;
    const digitShift = shift;
    shift += DIGIT_BITS[pass]!;
    if (counts[base + ((keys[0]! >>> digitShift) & mask)] === n) continue;
    let sum = 0;
    for (let b = 0; b < size; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const at = counts[base + ((key >>> digitShift) & mask)]!++;
      keys2[at] = key;
      dst[at] = src[i]!;
    }
    [keys, keys2] = [keys2, keys];
    [src, dst] = [dst, src];
  }
  if (src !== order) order.set(src.subarray(0, n));
  orderRunsByFullValue(scores, order, keys, n);
  return -1;
}

/** Sorts each run of equal upper-word keys by the full float64 value, descending, stably. */
function orderRunsByFullValue(
  scores: Float64Array,
  order: Uint32Array,
  sortedKeys: Uint32Array,
  n: number,
): void {
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && sortedKeys[end] === sortedKeys[start]) end++;
    if (end - start > 1) sortRun(scores, order, start, end);
    start = end;
  }
}

function sortRun(scores: Float64Array, order: Uint32Array, start: number, end: number): void {
  if (end - start > SHORT_RUN) {
    order.subarray(start, end).sort((a, b) => scores[b]! - scores[a]! || a - b);
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const item = order[i]!;
    const s = scores[item]!;
    let j = i - 1;
    while (
      j >= start &&
      (scores[order[j]!]! < s || (scores[order[j]!] === s && order[j]! > item))
    ) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = item;
  }
}
