import { MetricsError } from './metrics-error.js';

/**
 * Binary codes, one per row, packed 32 bits to a word: bit b of row r is bit `b % 32` of
 * `words[r * wordsPerRow + floor(b / 32)]`; unused high bits of the last word are 0.
 */
export interface BinaryCodes {
  words: Uint32Array;
  rows: number;
  /** Code length in bits (64 in SEM-PCYC's binary results). */
  bits: number;
}

/** Words per row: ceil(bits / 32). */
export function wordsPerRow(bits: number): number {
  return Math.ceil(bits / 32);
}

/**
 * Packs a row-major `[rows, bits]` matrix into codes: bit set where the value is > 0
 * (`sign(x) > 0`, as `compressITQ` thresholds).
 */
export function packSigns(values: ArrayLike<number>, rows: number, bits: number): BinaryCodes {
  if (values.length !== rows * bits) {
    throw new MetricsError(
      `packSigns: ${values.length} values do not make ${rows} rows of ${bits} bits`,
    );
  }
  const per = wordsPerRow(bits);
  const words = new Uint32Array(rows * per);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < bits; b++) {
      if (values[r * bits + b]! > 0) words[r * per + (b >>> 5)]! |= 1 << (b & 31);
    }
  }
  return { words, rows, bits };
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Hamming distances (number of differing bits) from query rows `[start, end)` to every gallery
 * row, written to `out` `[end - start, gallery.rows]`.
 */
export function hammingDistances(
  queries: BinaryCodes,
  start: number,
  end: number,
  gallery: BinaryCodes,
  out: Float64Array,
): void {
  if (queries.bits !== gallery.bits) {
    throw new MetricsError(
      `hammingDistances: query codes have ${queries.bits} bits but gallery codes ${gallery.bits}`,
    );
  }
  const per = wordsPerRow(queries.bits);
  const n = gallery.rows;
  const q = queries.words;
  const g = gallery.words;
  for (let i = start; i < end; i++) {
    const row = (i - start) * n;
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let w = 0; w < per; w++) d += popcount(q[i * per + w]! ^ g[j * per + w]!);
      out[row + j] = d;
    }
  }
}

/**
 * Ranks the gallery for each query by Hamming distance, nearest first, ties in gallery order.
 * @returns `[queries.rows, gallery.rows]` gallery indices, row-major.
 */
export function hammingRanking(queries: BinaryCodes, gallery: BinaryCodes): Uint32Array {
  const n = gallery.rows;
  const out = new Uint32Array(queries.rows * n);
  const distances = new Float64Array(n);
  const counts = new Uint32Array(queries.bits + 2);
  for (let i = 0; i < queries.rows; i++) {
    hammingDistances(queries, i, i + 1, gallery, distances);
    // Counting sort on the distance (0..bits) keeps gallery order within a distance.
    counts.fill(0);
    for (let j = 0; j < n; j++) counts[distances[j]! + 1]!++;
    for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
    for (let j = 0; j < n; j++) out[i * n + counts[distances[j]!]!++] = j;
  }
  return out;
}
