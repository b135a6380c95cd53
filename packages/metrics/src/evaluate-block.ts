import { type BinaryCodes, hammingDistances } from './binary-codes.js';
import { type BoundedRankScratch, rankRelevantFromBounds } from './bounded-ranks.js';
import {
  type BoundedDotKernel,
  createBoundedDotKernel,
  createDotKernel,
  float32DotError,
  type GalleryMemory,
} from './gallery-memory.js';
import { MetricsError } from './metrics-error.js';
import { INTERPOLATED_RECALL_LEVELS, queryPrCurve, RAW_RECALL_LEVELS } from './pr-curve.js';
import type { PrecisionDenominator, Protocol } from './protocol.js';
import { createRankScratch, type RankScratch, rankDescending } from './rank-descending.js';
import { averagePrecisionRanked, precisionAtKRanked, tieGroupEnds } from './ranked-metrics.js';
import { cosineFromDot, dotsToSimilarity, rowNormsSquared, type Similarity } from './similarity.js';

/** Where a block's scores come from. */
export type BlockSource =
  | {
      kind: 'embeddings';
      similarity: Similarity;
      gallery: GalleryMemory;
      galleryNormsSq: Float64Array;
      /**
       * Rank from float32 dot products with a proven error bound, computing exact float64 scores
       * only where the bound leaves the order open (cosine and dot; needs the gallery's float32
       * copy and finite inputs of magnitude at most 2^50).
       */
      bounded: boolean;
    }
  | { kind: 'codes'; gallery: BinaryCodes }
  | { kind: 'scores'; galleryRows: number };

/** What every block of one evaluation shares. */
export interface BlockConfig {
  source: BlockSource;
  /** `[galleryRows]`. */
  galleryLabels: Int32Array;
  protocol: Protocol;
  ks: number[];
  denominator: PrecisionDenominator;
}

/** A run of consecutive queries. */
export interface BlockTask {
  /** Index of the first query in the whole evaluation. */
  start: number;
  count: number;
  /** `[count]` labels of these queries. */
  queryLabels: Int32Array;
  /**
   * These queries' rows: embeddings `[count, dim]`, packed codes `[count, wordsPerRow]`, or
   * precomputed scores `[count, galleryRows]`.
   */
  rows: Float32Array | Float64Array | Uint32Array;
}

/** Per-query metrics of one block, in query order. */
export interface BlockResult {
  start: number;
  count: number;
  ap: Float64Array;
  /** `[count, ks.length]`. */
  apAtK: Float64Array;
  /** `[count, ks.length]`. */
  precisionAtK: Float64Array;
  /** `[count]` number of relevant gallery items R. */
  positives: Int32Array;
  /** `[count, RAW_RECALL_LEVELS]` raw PR curve of each query (NaN rows when R = 0). */
  prRaw: Float64Array;
  /** `[count, INTERPOLATED_RECALL_LEVELS]` 11-point interpolated PR curve of each query. */
  prInterpolated: Float64Array;
}

/** Buffers and kernels of the bounded path (see `BlockSource`). */
interface BoundedScratch {
  /** Holds the gallery's inverse norms (1 / norm, 0 for a zero vector) for its cosine scores. */
  kernel: BoundedDotKernel;
  /** Largest gallery norm and largest inverse norm. */
  maxNorm: number;
  maxInverse: number;
  ranks: BoundedRankScratch;
  /** Gallery items of each label, ascending. */
  itemsOfLabel: Map<number, Int32Array>;
}

/** Reusable buffers of one thread, and its dot-product kernel for embeddings. */
export interface BlockScratch {
  dot?: (queries: Float32Array, count: number, out: Float64Array) => void;
  bounded?: BoundedScratch;
  /** For each relevant item of the current query, the end of its tie group. */
  tieEnds: Int32Array;
  scores: Float64Array;
  order: Uint32Array;
  /** Ranks of the relevant items of the current query. */
  ranks: Int32Array;
  ranked: Float64Array;
  precisions: Float64Array;
  rank: RankScratch;
}

/**
 * Buffers for blocks of up to `maxCount` queries; `slot` is this thread's scratch slot in the
 * gallery memory.
 */
export function createBlockScratch(
  config: BlockConfig,
  maxCount: number,
  slot: number,
): BlockScratch {
  const galleryRows = config.galleryLabels.length;
  const { source } = config;
  if (source.kind === 'embeddings' && source.bounded) {
    const inverseNorms = source.galleryNormsSq.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
    const kernel = createBoundedDotKernel(source.gallery, slot, inverseNorms);
    return {
      bounded: {
        kernel,
        maxNorm: Math.sqrt(source.galleryNormsSq.reduce((a, v) => Math.max(a, v), 0)),
        maxInverse: inverseNorms.reduce((a, v) => Math.max(a, v), 0),
        ranks: kernel.ranks,
        itemsOfLabel: itemsByLabel(config.galleryLabels),
      },
      tieEnds: new Int32Array(galleryRows),
      scores: new Float64Array(0),
      order: new Uint32Array(0),
      ranks: new Int32Array(galleryRows),
      ranked: new Float64Array(0),
      precisions: new Float64Array(galleryRows),
      rank: createRankScratch(0),
    };
  }
  return {
    ...(source.kind === 'embeddings' ? { dot: createDotKernel(source.gallery, slot) } : {}),
    tieEnds: new Int32Array(galleryRows),
    scores: new Float64Array(maxCount * galleryRows),
    order: new Uint32Array(galleryRows),
    ranks: new Int32Array(galleryRows),
    ranked: new Float64Array(galleryRows),
    precisions: new Float64Array(galleryRows),
    rank: createRankScratch(galleryRows),
  };
}

function fillScores(config: BlockConfig, task: BlockTask, scratch: BlockScratch): void {
  const { source } = config;
  const out = scratch.scores;
  if (source.kind === 'embeddings') {
    const rows = task.rows as Float32Array;
    scratch.dot!(rows, task.count, out);
    dotsToSimilarity(
      source.similarity,
      rows,
      task.count,
      source.gallery.dim,
      source.galleryNormsSq,
      out,
    );
  } else if (source.kind === 'codes') {
    const queries = {
      words: task.rows as Uint32Array,
      rows: task.count,
      bits: source.gallery.bits,
    };
    hammingDistances(queries, 0, task.count, source.gallery, out);
    const used = task.count * source.gallery.rows;
    for (let i = 0; i < used; i++) out[i] = -out[i]!;
  } else {
    out.set(task.rows.subarray(0, task.count * source.galleryRows));
  }
}

/**
 * Scores, ranks and measures one block of queries: AP, AP@K and P@K for each K, and the PR
 * curves, under `config.protocol`.
 * @throws {MetricsError} naming the query and gallery item of a NaN or infinite score.
 */
export function evaluateBlock(
  config: BlockConfig,
  task: BlockTask,
  scratch: BlockScratch,
): BlockResult {
  const n = config.galleryLabels.length;
  const nk = config.ks.length;
  const { count } = task;
  const result: BlockResult = {
    start: task.start,
    count,
    ap: new Float64Array(count),
    apAtK: new Float64Array(count * nk),
    precisionAtK: new Float64Array(count * nk),
    positives: new Int32Array(count),
    prRaw: new Float64Array(count * RAW_RECALL_LEVELS),
    prInterpolated: new Float64Array(count * INTERPOLATED_RECALL_LEVELS),
  };
  if (scratch.bounded) {
    rankBlockBounded(config, task, scratch, scratch.bounded, result);
    return result;
  }
  fillScores(config, task, scratch);
  const { order, ranks, ranked } = scratch;
  for (let q = 0; q < count; q++) {
    const row = scratch.scores.subarray(q * n, (q + 1) * n);
    const bad = rankDescending(row, order, scratch.rank);
    if (bad >= 0) {
      throw new MetricsError(
        `evaluateRetrieval: query ${task.start + q} has score ${row[bad]} for gallery item ${bad}; scores must be finite`,
      );
    }
    const label = task.queryLabels[q]!;
    let positives = 0;
    for (let i = 0; i < n; i++) {
      const item = order[i]!;
      ranked[i] = row[item]!;
      if (config.galleryLabels[item] === label) ranks[positives++] = i;
    }
    tieGroupEnds(ranks, positives, ranked, scratch.tieEnds);
    measureQuery(config, q, positives, scratch, result);
  }
  return result;
}

/** The bounded path of {@link evaluateBlock}: float32 tiles, exact ranks by counting. */
function rankBlockBounded(
  config: BlockConfig,
  task: BlockTask,
  scratch: BlockScratch,
  bounded: BoundedScratch,
  result: BlockResult,
): void {
  const source = config.source as Extract<BlockSource, { kind: 'embeddings' }>;
  const { dim, rows: n, rowsPadded } = source.gallery;
  const { kernel, maxNorm, maxInverse } = bounded;
  // The current query's approximate scores, in the kernel's memory where its counting pass reads.
  const approximate = kernel.scores;
  const rows = task.rows as Float32Array;
  const dots = kernel.approximate(rows, task.count);
  const queryNormsSq = rowNormsSquared(rows, task.count, dim);
  const error = float32DotError(dim);
  const cosine = source.similarity === 'cosine';
  // Float64 summation error of the exact dot products and norms, relative to |q||g|, with margin.
  const slack = (dim + 16) * 2 ** -51;
  for (let q = 0; q < task.count; q++) {
    const queryNorm = Math.sqrt(queryNormsSq[q]!);
    const query = rows.subarray(q * dim, (q + 1) * dim);
    const base = q * rowsPadded;
    let window: number;
    if (cosine) {
      // |float32 dot - dot| <= relative x |q||g| + absolute (Cauchy-Schwarz), divided by |q||g|;
      // `slack` covers the float64 roundings of the exact and approximate scores (|score| <= 1).
      const inverse = queryNorm > 0 ? 1 / queryNorm : 0;
      // approximate[j] = dots[base + j] * inverse * inverseNorms[j], in WebAssembly.
      kernel.cosineScores(q, inverse);
      window = error.relative * (1 + 2 ** -30) + error.absolute * inverse * maxInverse + slack;
    } else {
      for (let j = 0; j < n; j++) approximate[j] = dots[base + j]!;
      const scale = queryNorm * maxNorm;
      window = (error.relative + slack) * scale * (1 + 2 ** -30) + error.absolute;
    }
    kernel.setQuery(query);
    const label = task.queryLabels[q]!;
    const relevantItems = bounded.itemsOfLabel.get(label) ?? NO_ITEMS;
    const positives = rankRelevantFromBounds(
      {
        approximate,
        window,
        labels: config.galleryLabels,
        label,
        relevantItems,
        exact: (items, count, out) => {
          kernel.exact(items, count, out);
          if (!cosine) return;
          for (let a = 0; a < count; a++) {
            out[a] = cosineFromDot(out[a]!, queryNorm, source.galleryNormsSq[items[a]!]!);
          }
        },
      },
      bounded.ranks,
      scratch.ranks,
      scratch.tieEnds,
    );
    measureQuery(config, q, positives, scratch, result);
  }
}

const NO_ITEMS = new Int32Array(0);

/** The items of each label, ascending, in one pass (a counting sort by label). */
function itemsByLabel(labels: Int32Array): Map<number, Int32Array> {
  const counts = new Map<number, number>();
  for (let j = 0; j < labels.length; j++) counts.set(labels[j]!, (counts.get(labels[j]!) ?? 0) + 1);
  const items = new Map<number, Int32Array>();
  const filled = new Map<number, number>();
  for (const [label, count] of counts) {
    items.set(label, new Int32Array(count));
    filled.set(label, 0);
  }
  for (let j = 0; j < labels.length; j++) {
    const label = labels[j]!;
    const at = filled.get(label)!;
    items.get(label)![at] = j;
    filled.set(label, at + 1);
  }
  return items;
}

/**
 * Writes query `q`'s AP, AP@K, P@K and PR curves into `result` from its relevant ranks and tie
 * ends in `scratch`.
 */
function measureQuery(
  config: BlockConfig,
  q: number,
  positives: number,
  scratch: BlockScratch,
  result: BlockResult,
): void {
  const n = config.galleryLabels.length;
  const nk = config.ks.length;
  const { ranks, tieEnds, precisions } = scratch;
  result.positives[q] = positives;
  result.ap[q] = averagePrecisionRanked(config.protocol, ranks, positives, tieEnds, n);
  for (let t = 0; t < nk; t++) {
    const k = config.ks[t]!;
    const top = Math.min(k, n);
    result.apAtK[q * nk + t] = averagePrecisionRanked(
      config.protocol,
      ranks,
      positives,
      tieEnds,
      top,
    );
    result.precisionAtK[q * nk + t] = precisionAtKRanked(
      ranks,
      positives,
      n,
      k,
      config.denominator,
    );
  }
  queryPrCurve(
    ranks,
    positives,
    result.prRaw.subarray(q * RAW_RECALL_LEVELS, (q + 1) * RAW_RECALL_LEVELS),
    result.prInterpolated.subarray(
      q * INTERPOLATED_RECALL_LEVELS,
      (q + 1) * INTERPOLATED_RECALL_LEVELS,
    ),
    precisions,
  );
}
