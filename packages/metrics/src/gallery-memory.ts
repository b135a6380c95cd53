import {
  type BoundedRankScratch,
  type BoundedScores,
  boundedRankScratchBytes,
  createBoundedRankScratch,
} from './bounded-ranks.js';
import { type CompiledDotKernel, compileDotKernel } from './compile-dot-kernel.js';
import { F32_BLOCK } from './dot-kernel-module.js';
import { MetricsError } from './metrics-error.js';

/**
 * A gallery `[rows, dim]` held as float64 in shared WebAssembly memory, in the packed layout of
 * {@link dotKernelModule} (rows padded with zeros to a multiple of 4, dimensions to a multiple of
 * 2), optionally a float32 copy in the same layout (dimensions padded to a multiple of 4), then
 * one scratch slot per thread for up to `blockRows` query rows, their output rows, one float64
 * query row, and a list of gallery rows with their exact dot products. Post it to worker threads;
 * each uses its own slot.
 */
export interface GalleryMemory {
  memory: WebAssembly.Memory;
  rows: number;
  dim: number;
  rowsPadded: number;
  dimPadded: number;
  slots: number;
  /** Most query rows per kernel call (even). */
  blockRows: number;
  /**
   * Byte offset of the float32 copies (packed, then row-major with rows of `dimPadded`), which
   * replace the float64 one; -1 when there are none.
   */
  f32Start: number;
  /** Float32 dimensions padded to a multiple of 4. */
  dimQuads: number;
  /** The compiled kernels (posted to workers with the memory, so that they compile nothing). */
  kernel: CompiledDotKernel;
  /** Most gallery items relevant to one query (the largest class), for the ranking's scratch. */
  maxRelevant: number;
}

const PAGE = 65536;
/** Largest shared memory requested: 2 GiB. */
const MAX_BYTES = 2 ** 31;

/** Gallery rows per cache chunk: about 256 KiB of float64, a multiple of 4. */
const CHUNK_BYTES = 2 ** 18;

function slotBytes(
  g: Pick<GalleryMemory, 'rowsPadded' | 'dimPadded' | 'blockRows' | 'f32Start' | 'maxRelevant'>,
): number {
  const tiles = g.blockRows * (g.dimPadded + g.rowsPadded) * 8 + g.dimPadded * 8;
  const bounded = g.f32Start < 0 ? 0 : boundedPassBytes(g.rowsPadded, g.maxRelevant);
  return tiles + g.rowsPadded * 12 + bounded;
}

/**
 * Bytes of the bounded path's per-query buffers in a slot (16-byte multiples): scores and inverse
 * norms (float64), then the ranking's scratch (`createBoundedRankScratch`) for `rowsPadded` items,
 * `maxRelevant` of them relevant at most.
 */
function boundedPassBytes(rowsPadded: number, maxRelevant: number): number {
  return rowsPadded * 16 + boundedRankScratchBytes(rowsPadded, maxRelevant);
}

/**
 * An instance of the compiled module on `memory`. `exact` serves the ranking's exact scores (see
 * `rankRelevantBody`); instances that do not rank never call it.
 */
function instantiate(
  kernel: CompiledDotKernel,
  memory: WebAssembly.Memory,
  exact: (which: number, count: number) => void = noRanking,
): WebAssembly.Instance {
  return new WebAssembly.Instance(kernel.module, { env: { memory, exact } });
}

function noRanking(): void {
  throw new MetricsError('gallery memory: this kernel instance does not rank');
}

/** Byte offset of the first scratch slot. */
function slotsStart(g: GalleryMemory): number {
  const f64Bytes = g.rowsPadded * g.dimPadded * 8;
  return g.f32Start < 0 ? f64Bytes : rowMajorStart(g) + g.rowsPadded * g.dimPadded * 4;
}

/** Byte offset of the row-major float32 copy. */
function rowMajorStart(g: GalleryMemory): number {
  return g.f32Start + g.rowsPadded * g.dimQuads * 4;
}

/**
 * Copies a row-major float32 gallery `[rows, dim]` into new shared memory with `slots` thread
 * slots of `maxQueries` query rows each; with `approximate`, also a float32 copy for
 * {@link createBoundedDotKernel}, whose ranking serves queries with up to `maxRelevant` (default
 * `rows`) relevant items. `kernel` defaults to {@link compileDotKernel}'s `auto` choice.
 * @throws {MetricsError} when it would exceed 2 GiB.
 */
export function createGalleryMemory(
  data: Float32Array,
  rows: number,
  dim: number,
  slots: number,
  maxQueries: number,
  approximate = false,
  kernel: CompiledDotKernel = compileDotKernel(),
  maxRelevant = rows,
): GalleryMemory {
  const rowsPadded = Math.ceil(rows / 4) * 4;
  const dimPadded = Math.ceil(dim / 2) * 2;
  const dimQuads = Math.ceil(dim / 4) * 4;
  const blockRows = Math.ceil(maxQueries / 2) * 2;
  // Float64 packed, or float32 packed + float32 row-major.
  const galleryBytes = approximate
    ? rowsPadded * (dimQuads + dimPadded) * 4
    : rowsPadded * dimPadded * 8;
  const f32Start = approximate ? 0 : -1;
  const layout = { rowsPadded, dimPadded, blockRows, f32Start, maxRelevant };
  const bytes = galleryBytes + slots * slotBytes(layout);
  if (bytes > MAX_BYTES) {
    throw new MetricsError(
      `evaluateRetrieval: a gallery of ${rows} x ${dim} needs ${(bytes / 2 ** 30).toFixed(1)} GiB of shared memory (the gallery, and ${slots} thread slots of ${blockRows} queries), over the 2 GiB limit; evaluate it in parts, with fewer workers or a smaller blockSize, or pass precomputed scores`,
    );
  }
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const g = {
    memory,
    rows,
    dim,
    rowsPadded,
    dimPadded,
    slots,
    blockRows,
    f32Start,
    dimQuads,
    kernel,
    maxRelevant,
  };
  if (!approximate) {
    const view = new Float64Array(memory.buffer, 0, rowsPadded * dimPadded);
    // Row r, dimension k -> group r >> 2, pair k >> 1, row-in-group r & 3, lane k & 1.
    for (let r = 0; r < rows; r++) {
      const group = (r >> 2) * dimPadded * 4 + (r & 3) * 2;
      for (let k = 0; k < dim; k++) view[group + (k >> 1) * 8 + (k & 1)] = data[r * dim + k]!;
    }
    return g;
  }
  // Row-major copy first (one copy when dim is even), then the tile layout packed from it in
  // WebAssembly: row r, dimension k -> group r >> 2, quad k >> 2, row-in-group r & 3, lane k & 3.
  const rowMajor = new Float32Array(memory.buffer, rowMajorStart(g), rowsPadded * dimPadded);
  if (dimPadded === dim) rowMajor.set(data.subarray(0, rows * dim));
  else {
    for (let r = 0; r < rows; r++) {
      rowMajor.set(data.subarray(r * dim, (r + 1) * dim), r * dimPadded);
    }
  }
  const full = dim >> 2;
  const instance = instantiate(kernel, memory);
  const packQuads = instance.exports.packQuads as (...args: number[]) => void;
  packQuads(rowMajorStart(g), f32Start, rowsPadded / 4, full, dimPadded * 4, dimQuads * 16);
  if (full * 4 < dim) {
    const f32 = new Float32Array(memory.buffer, f32Start, rowsPadded * dimQuads);
    for (let r = 0; r < rows; r++) {
      const group = (r >> 2) * dimQuads * 4 + (r & 3) * 4 + full * 16;
      for (let k = full * 4; k < dim; k++) f32[group + (k & 3)] = data[r * dim + k]!;
    }
  }
  return g;
}

/**
 * A function that writes the dot products of `count` (at most `blockRows`) float32 query rows
 * `[count, dim]` with every gallery row into `out` `[count, rows]`, using scratch slot `slot` of
 * the shared memory. The gallery is walked in chunks of about 256 KiB that stay in cache while
 * every query pair passes over them.
 */
export function createDotKernel(
  g: GalleryMemory,
  slot: number,
): (queries: Float32Array, count: number, out: Float64Array) => void {
  const instance = instantiate(g.kernel, g.memory);
  const dot2x4 = instance.exports.dot2x4 as (...args: number[]) => void;
  const { rows, dim, rowsPadded, dimPadded, blockRows } = g;
  const pairBytes = dimPadded * 16;
  const groupBytes = 2 * pairBytes;
  const chunkGroups = Math.max(1, Math.floor(CHUNK_BYTES / groupBytes));
  const groups = rowsPadded / 4;
  const queryStart = slotsStart(g) + slot * slotBytes(g);
  const queryView = new Float64Array(g.memory.buffer, queryStart, blockRows * dimPadded);
  const outStart = queryStart + blockRows * dimPadded * 8;
  const outView = new Float64Array(g.memory.buffer, outStart, blockRows * rowsPadded);
  return (queries, count, out) => {
    queryView.fill(0);
    // Query i, dimension k -> pair block i >> 1, dimension pair k >> 1, row i & 1, lane k & 1.
    for (let i = 0; i < count; i++) {
      const base = (i >> 1) * dimPadded * 2 + (i & 1) * 2;
      for (let k = 0; k < dim; k++)
        queryView[base + (k >> 1) * 4 + (k & 1)] = queries[i * dim + k]!;
    }
    for (let c0 = 0; c0 < groups; c0 += chunkGroups) {
      const chunk = Math.min(chunkGroups, groups - c0);
      for (let i = 0; i < count; i += 2) {
        dot2x4(
          queryStart + (i >> 1) * pairBytes,
          c0 * groupBytes,
          chunk,
          pairBytes,
          outStart + (i * rowsPadded + c0 * 4) * 8,
          rowsPadded * 8,
        );
      }
    }
    for (let i = 0; i < count; i++) {
      out.set(outView.subarray(i * rowsPadded, i * rowsPadded + rows), i * rows);
    }
  };
}

/** Float32 similarity tiles plus exact float64 dot products of chosen rows, for one thread. */
export interface BoundedDotKernel {
  /**
   * Float32 dot products of `count` (at most `blockRows`) query rows `[count, dim]` with every
   * gallery row: a view `[count, rowsPadded]` valid until the next call. Each is within
   * {@link float32DotError} of the exact dot product.
   */
  approximate(queries: Float32Array, count: number): Float32Array;
  /** Sets the query `[dim]` of {@link BoundedDotKernel.exact}. */
  setQuery(query: Float32Array): void;
  /** Writes the float64 dot products of the query with gallery rows `items[0..count)`. */
  exact(items: Int32Array, count: number, out: Float64Array): void;
  /**
   * `[rows]` this thread's scores of one query, in shared memory: what {@link cosineScores}
   * writes, or the caller; the scores that {@link BoundedDotKernel.ranks} ranks in WebAssembly.
   */
  scores: Float64Array;
  /**
   * Writes the cosine scores of query `q` of the last {@link BoundedDotKernel.approximate} call
   * into {@link BoundedDotKernel.scores}: float64(dot) x `inverse` x the item's inverse norm
   * (given at creation), in that order, as the JavaScript expression would.
   */
  cosineScores(q: number, inverse: number): Float64Array;
  /**
   * Scratch for `rankRelevantFromBounds` in this slot's memory, with its WebAssembly ranker: a
   * query whose `approximate` is {@link BoundedDotKernel.scores} is ranked there. The ranker
   * copies a query's `labels` into its memory when they are another array than the last query's
   * (one evaluation passes the same array throughout; an array changed in place between two
   * queries would not be copied again).
   */
  ranks: BoundedRankScratch;
}

/**
 * A bound on |float32 dot - exact dot| for the float32 kernel on `dim` dimensions, as
 * `relative` x sum_k |q_k g_k| + `absolute` (the latter for float32 underflow).
 */
export function float32DotError(dim: number): { relative: number; absolute: number } {
  // Four lanes; each sums blocks of F32_BLOCK products and adds each block to its total, then two
  // levels of additions: no product goes through more than F32_BLOCK + blocks + 2 roundings after
  // its own, so gamma_(F32_BLOCK + blocks + 3), with one more step of margin; u = 2^-24.
  // The fused tile (relaxed_madd) computes fl(s + x y) where the unfused one computes
  // fl(s + fl(x y)): in the standard model fl(x y) = x y (1 + d) with |d| <= u, and the fused step
  // is the case d = 0, so every product still passes through at most as many factors (1 + d_i) and
  // the same gamma covers both (and a mix of both, which relaxed_madd permits).
  // Underflow: a fused step has one rounding that can underflow instead of two.
  const steps = Math.ceil(dim / 4);
  const m = Math.min(steps, F32_BLOCK) + Math.ceil(steps / F32_BLOCK) + 4;
  const u = 2 ** -24;
  // Underflow: at most 2^-150 for each of the dim products and the fewer than 2 x dim + 8 sums.
  return { relative: (m * u) / (1 - m * u), absolute: (3 * dim + 16) * 2 ** -150 };
}

/**
 * The kernels of the bounded evaluation path on a gallery created with `approximate`, using
 * scratch slot `slot`; `inverseNorms` `[rows]` (1 / gallery norm) for
 * {@link BoundedDotKernel.cosineScores}, default all 1.
 */
export function createBoundedDotKernel(
  g: GalleryMemory,
  slot: number,
  inverseNorms?: Float64Array,
): BoundedDotKernel {
  if (g.f32Start < 0) throw new MetricsError('createBoundedDotKernel: gallery has no float32 copy');
  // The ranking's exact scores, through `exact` below, for the query being ranked.
  let ranked: BoundedScores | undefined;
  const instance = instantiate(g.kernel, g.memory, (which, count) => {
    const s = ranks;
    if (which === 0) ranked!.exact(s.neededItems, count, s.neededScores);
    else ranked!.exact(s.ambiguous, count, s.ambiguousScores);
  });
  const tile = instance.exports.dot2x4f32 as (...args: number[]) => void;
  const dotRows = instance.exports.dotRows as (...args: number[]) => void;
  const scaleScores = instance.exports.scaleScores as (...args: number[]) => void;
  const rankRelevant = instance.exports.rankRelevant as (...args: number[]) => void;
  const { rows, rowsPadded, dimPadded, dimQuads, blockRows, dim } = g;
  const quadBytes = dimQuads * 8;
  const groupBytes = 2 * quadBytes;
  const chunkGroups = Math.max(1, Math.floor(CHUNK_BYTES / groupBytes));
  const groups = rowsPadded / 4;
  const queryStart = slotsStart(g) + slot * slotBytes(g);
  const queryView = new Float32Array(g.memory.buffer, queryStart, blockRows * dimQuads);
  const outStart = queryStart + blockRows * dimPadded * 8;
  const outView = new Float32Array(g.memory.buffer, outStart, blockRows * rowsPadded);
  const rowStart = outStart + blockRows * rowsPadded * 8;
  const rowView = new Float64Array(g.memory.buffer, rowStart, dimPadded);
  const itemsStart = rowStart + dimPadded * 8;
  const itemsView = new Int32Array(g.memory.buffer, itemsStart, rowsPadded);
  const dotsStart = itemsStart + rowsPadded * 4;
  const dotsView = new Float64Array(g.memory.buffer, dotsStart, rowsPadded);
  const galleryRows = rowMajorStart(g);
  // The bounded pass's buffers (see boundedPassBytes).
  const scoresStart = dotsStart + rowsPadded * 8;
  const normsStart = scoresStart + rowsPadded * 8;
  const scores = new Float64Array(g.memory.buffer, scoresStart, rows);
  const norms = new Float64Array(g.memory.buffer, normsStart, rowsPadded);
  norms.fill(1);
  if (inverseNorms) norms.set(inverseNorms.subarray(0, rows));
  const ranks = createBoundedRankScratch(
    rowsPadded,
    { buffer: g.memory.buffer, byteOffset: normsStart + rowsPadded * 8 },
    g.maxRelevant,
  );
  // The labels last copied into the scratch.
  let labels: Int32Array | undefined;
  ranks.ranker = {
    scores,
    rank(input, positives, margin) {
      if (input.labels !== labels) {
        ranks.labels.set(input.labels.subarray(0, rows));
        labels = input.labels;
      }
      ranked = input;
      try {
        rankRelevant(ranks.pointers.byteOffset, scoresStart, rows, input.label, positives, margin);
      } finally {
        ranked = undefined;
      }
    },
  };
  return {
    scores,
    ranks,
    cosineScores(q, inverse) {
      scaleScores(outStart + q * rowsPadded * 4, normsStart, inverse, rows, scoresStart);
      return scores;
    },
    approximate(queries, count) {
      queryView.fill(0);
      // Query i, dimension k -> pair block i >> 1, quad k >> 2, row i & 1, lane k & 3.
      for (let i = 0; i < count; i++) {
        const base = (i >> 1) * dimQuads * 2 + (i & 1) * 4;
        for (let k = 0; k < dim; k++)
          queryView[base + (k >> 2) * 8 + (k & 3)] = queries[i * dim + k]!;
      }
      for (let c0 = 0; c0 < groups; c0 += chunkGroups) {
        const chunk = Math.min(chunkGroups, groups - c0);
        for (let i = 0; i < count; i += 2) {
          tile(
            queryStart + (i >> 1) * quadBytes,
            g.f32Start + c0 * groupBytes,
            chunk,
            quadBytes,
            outStart + (i * rowsPadded + c0 * 4) * 4,
            rowsPadded * 4,
          );
        }
      }
      return outView;
    },
    setQuery(query) {
      rowView.fill(0);
      rowView.set(query.subarray(0, dim));
    },
    exact(items, count, out) {
      for (let start = 0; start < count; start += rowsPadded) {
        const part = Math.min(rowsPadded, count - start);
        itemsView.set(items.subarray(start, start + part));
        // The kernel takes a multiple of four rows: repeat the last one.
        for (let i = part; i % 4 !== 0; i++) itemsView[i] = itemsView[part - 1]!;
        dotRows(rowStart, galleryRows, dimPadded / 2, itemsStart, part, dotsStart);
        out.set(dotsView.subarray(0, part), start);
      }
    },
  };
}
