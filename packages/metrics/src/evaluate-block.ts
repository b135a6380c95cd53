import { type BinaryCodes, hammingDistances } from './binary-codes.js';
import { createDotKernel, type GalleryMemory } from './gallery-memory.js';
import { MetricsError } from './metrics-error.js';
import { INTERPOLATED_RECALL_LEVELS, queryPrCurve, RAW_RECALL_LEVELS } from './pr-curve.js';
import type { PrecisionDenominator, Protocol } from './protocol.js';
import { createRankScratch, type RankScratch, rankDescending } from './rank-descending.js';
import { averagePrecisionRanked, precisionAtKRanked } from './ranked-metrics.js';
import { dotsToSimilarity, type Similarity } from './similarity.js';

/** Where a block's scores come from. */
export type BlockSource =
  | {
      kind: 'embeddings';
      similarity: Similarity;
      gallery: GalleryMemory;
      galleryNormsSq: Float64Array;
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

/** Reusable buffers of one thread, and its dot-product kernel for embeddings. */
export interface BlockScratch {
  dot?: (queries: Float32Array, count: number, out: Float64Array) => void;
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
  return {
    ...(source.kind === 'embeddings' ? { dot: createDotKernel(source.gallery, slot) } : {}),
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
  fillScores(config, task, scratch);
  const { order, ranks, ranked, precisions } = scratch;
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
    result.positives[q] = positives;
    result.ap[q] = averagePrecisionRanked(config.protocol, ranks, positives, ranked, n);
    for (let t = 0; t < nk; t++) {
      const k = config.ks[t]!;
      const top = Math.min(k, n);
      result.apAtK[q * nk + t] = averagePrecisionRanked(
        config.protocol,
        ranks,
        positives,
        ranked,
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
  return result;
}
