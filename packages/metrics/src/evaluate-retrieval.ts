import type { Matrix } from '@zs-sbir/io';
import type { BinaryCodes } from './binary-codes.js';
import { blockStarts } from './block-starts.js';
import { buildReport, type QueryValues } from './build-report.js';
import { checkChoice } from './check-option-names.js';
import {
  type BlockConfig,
  type BlockResult,
  type BlockTask,
  createBlockScratch,
  evaluateBlock,
} from './evaluate-block.js';
import { checkK } from './metric-options.js';
import { MetricsError } from './metrics-error.js';
import { INTERPOLATED_RECALL_LEVELS, RAW_RECALL_LEVELS } from './pr-curve.js';
import {
  PRECISION_DENOMINATORS,
  PROTOCOLS,
  type PrecisionDenominator,
  type Protocol,
} from './protocol.js';
import { readLabels, readRetrievalInput, workerCount } from './retrieval-input.js';
import type { RetrievalReport } from './retrieval-report.js';
import type { Similarity } from './similarity.js';
import { runBlocksInWorkers } from './worker-pool.js';

/** A precomputed score matrix `[queries, gallery]`, row-major, higher = more similar. */
export interface ScoreMatrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Progress of {@link evaluateRetrieval}: queries finished out of all. */
export interface EvaluationProgress {
  done: number;
  total: number;
}

/** Settings shared by every input form of {@link evaluateRetrieval}. */
export interface EvaluationSettings {
  /** `[queries]` integer class of each query. */
  queryLabels: Int32Array | readonly number[];
  /** `[gallery]` integer class of each gallery item; relevant = same class as the query. */
  galleryLabels: Int32Array | readonly number[];
  /** Evaluator rules; default `sklearn`. */
  protocol?: Protocol;
  /** Cut-offs for mAP@K and P@K; default `[100, 200]`. */
  ks?: readonly number[];
  /** What P@K divides by; default `k`. */
  precisionDenominator?: PrecisionDenominator;
  /** Queries per block (memory per thread: blockSize x gallery x 8 bytes); default 64. */
  blockSize?: number;
  /**
   * Worker threads; 0 runs in this thread. Default `auto`: every available core for large
   * inputs, in-thread for small ones or when the worker file is not next to this module (e.g.
   * running from TypeScript sources).
   */
  workers?: number | 'auto';
  /** Called after each block. */
  onProgress?: (progress: EvaluationProgress) => void;
  /** Names indexed by label, copied into the per-class results. */
  classNames?: readonly string[];
  /** Keep per-query values in the report; default true. */
  perQuery?: boolean;
}

/** Embeddings compared with a {@link Similarity}. */
export interface EmbeddingEvaluation extends EvaluationSettings {
  /** `[queries, dim]` row-major float32. */
  queries: Matrix;
  /** `[gallery, dim]` row-major float32. */
  gallery: Matrix;
  /** Default `euclidean` (negated distance; same ranking as SEM-PCYC's exp(-distance)). */
  similarity?: Similarity;
}

/** Binary codes ranked by Hamming distance (fewer differing bits = more similar). */
export interface CodeEvaluation extends EvaluationSettings {
  queries: BinaryCodes;
  gallery: BinaryCodes;
  similarity?: 'hamming';
}

/** A score matrix computed elsewhere. */
export interface ScoreEvaluation extends EvaluationSettings {
  scores: ScoreMatrix;
}

/** What {@link evaluateRetrieval} accepts. */
export type EvaluateRetrievalOptions = EmbeddingEvaluation | CodeEvaluation | ScoreEvaluation;

const WHERE = 'evaluateRetrieval';

/**
 * Scores every query against the gallery and reports mAP@all, mAP@K and P@K for each K,
 * class-averaged mAP, per-class and per-query values and PR curves, under one evaluator's rules
 * (see {@link Protocol}). Queries run in blocks of `blockSize`, so memory stays bounded
 * (blockSize x gallery float64 scores per thread, plus the gallery), on worker threads for large
 * inputs.
 *
 * Dot products are summed in float64 from the float32 embeddings; ranks are exact on those
 * float64 scores (ties in gallery order for P@K and AP@K; one threshold per tied score for
 * `sklearn` AP).
 *
 * @throws {MetricsError} for mismatched shapes or label counts, unknown options, or a NaN /
 *   infinite score (naming the query and gallery item).
 */
export async function evaluateRetrieval(
  options: EvaluateRetrievalOptions,
): Promise<RetrievalReport> {
  const input = readRetrievalInput(options);
  const queryLabels = readLabels(options.queryLabels, 'queryLabels', input.queryRows);
  const galleryLabels = readLabels(options.galleryLabels, 'galleryLabels', input.galleryRows);
  const ks = [...(options.ks ?? [100, 200])];
  for (const k of ks) checkK(k, WHERE);
  const blockSize = options.blockSize ?? 64;
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new MetricsError(`${WHERE}: blockSize must be a positive integer, got ${blockSize}`);
  }
  const protocol = checkChoice(options.protocol ?? 'sklearn', PROTOCOLS, 'protocol', WHERE);
  const denominator = checkChoice(
    options.precisionDenominator ?? 'k',
    PRECISION_DENOMINATORS,
    'precisionDenominator',
    WHERE,
  );
  const workerUrl = new URL('./evaluate-worker.js', import.meta.url);
  const workers = workerCount(options.workers ?? 'auto', workerUrl, input.work);
  // Built when first needed: with workers, after they have been started (their start-up overlaps
  // the gallery's set-up).
  let config: BlockConfig | undefined;
  const makeConfig = (): BlockConfig => {
    config ??= {
      source: input.source(Math.max(workers, 1), blockSize, largestClass(galleryLabels)),
      galleryLabels,
      protocol,
      ks,
      denominator,
    };
    return config;
  };
  const total = input.queryRows;
  const nk = ks.length;
  const values: QueryValues = {
    ap: new Float64Array(total),
    apAtK: new Float64Array(total * nk),
    precisionAtK: new Float64Array(total * nk),
    positives: new Int32Array(total),
    prRaw: new Float64Array(total * RAW_RECALL_LEVELS),
    prInterpolated: new Float64Array(total * INTERPOLATED_RECALL_LEVELS),
  };
  let done = 0;
  const onResult = (r: BlockResult) => {
    values.ap.set(r.ap, r.start);
    values.apAtK.set(r.apAtK, r.start * nk);
    values.precisionAtK.set(r.precisionAtK, r.start * nk);
    values.positives.set(r.positives, r.start);
    values.prRaw.set(r.prRaw, r.start * RAW_RECALL_LEVELS);
    values.prInterpolated.set(r.prInterpolated, r.start * INTERPOLATED_RECALL_LEVELS);
    done += r.count;
    options.onProgress?.({ done, total });
  };
  const blocks = blockStarts(total, blockSize, workers);
  const taskCount = blocks.length - 1;
  const makeTask = (index: number): BlockTask => {
    const start = blocks[index]!;
    const count = blocks[index + 1]! - start;
    const [from, to] = [start * input.rowWidth, (start + count) * input.rowWidth];
    return {
      start,
      count,
      queryLabels: queryLabels.slice(start, start + count),
      // A copy for a worker (posting a view would clone its whole buffer), a view in-thread.
      rows: workers > 0 ? input.rows.slice(from, to) : input.rows.subarray(from, to),
    };
  };
  if (workers > 0) {
    await runBlocksInWorkers(
      workerUrl,
      workers,
      makeConfig,
      blockSize,
      taskCount,
      makeTask,
      onResult,
    );
  } else {
    const scratch = createBlockScratch(makeConfig(), Math.min(blockSize, Math.max(total, 1)), 0);
    for (let i = 0; i < taskCount; i++) {
      onResult(evaluateBlock(makeConfig(), makeTask(i), scratch));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return buildReport(
    makeConfig(),
    input.similarity,
    queryLabels,
    values,
    options.classNames,
    options.perQuery ?? true,
  );
}

/** Items of the most frequent label (0 for none). */
function largestClass(labels: Int32Array): number {
  const counts = new Map<number, number>();
  let largest = 0;
  for (const label of labels) {
    const count = (counts.get(label) ?? 0) + 1;
    counts.set(label, count);
    if (count > largest) largest = count;
  }
  return largest;
}
