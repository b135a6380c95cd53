import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type BinaryCodes, wordsPerRow } from './binary-codes.js';
import { checkChoice, checkOptionNames } from './check-option-names.js';
import type { BlockSource } from './evaluate-block.js';
import type { EvaluateRetrievalOptions } from './evaluate-retrieval.js';
import { createGalleryMemory } from './gallery-memory.js';
import { MetricsError } from './metrics-error.js';
import type { RetrievalReport } from './retrieval-report.js';
import { rowNormsSquared, SIMILARITIES } from './similarity.js';

const WHERE = 'evaluateRetrieval';
const SETTINGS = [
  'queryLabels',
  'galleryLabels',
  'protocol',
  'ks',
  'precisionDenominator',
  'blockSize',
  'workers',
  'onProgress',
  'classNames',
  'perQuery',
];
/** Below this many multiply-adds (or equivalent), `workers: 'auto'` stays in-thread. */
const SMALL_WORK = 2 ** 26;

/** The input of one evaluation, checked, before the gallery is placed for the threads. */
export interface RetrievalInput {
  similarity: RetrievalReport['similarity'];
  queryRows: number;
  galleryRows: number;
  /** Values per query row in `rows`. */
  rowWidth: number;
  /** Query embeddings, packed codes or score rows, row-major. */
  rows: Float32Array | Float64Array | Uint32Array;
  /** Rough cost, in multiply-adds. */
  work: number;
  /**
   * The block source for `slots` threads and blocks of up to `blockSize` queries, with up to
   * `maxRelevant` gallery items relevant to one query.
   */
  source: (slots: number, blockSize: number, maxRelevant: number) => BlockSource;
}

function checkMatrix(
  m: { data: ArrayLike<number>; rows: number; cols: number },
  name: string,
): void {
  if (m.data.length !== m.rows * m.cols) {
    throw new MetricsError(
      `${WHERE}: ${name} has ${m.data.length} values, not rows x cols = ${m.rows} x ${m.cols}`,
    );
  }
}

function checkCodes(c: BinaryCodes, name: string): void {
  if (c.words.length !== c.rows * wordsPerRow(c.bits)) {
    throw new MetricsError(
      `${WHERE}: ${name} has ${c.words.length} words, not ${c.rows} rows x ${wordsPerRow(c.bits)} words`,
    );
  }
}

function sharedCopy(words: Uint32Array): Uint32Array {
  const copy = new Uint32Array(new SharedArrayBuffer(words.byteLength));
  copy.set(words);
  return copy;
}

/**
 * Checks option names and the shapes of scores, embeddings or codes.
 * @throws {MetricsError} naming the option or matrix that is wrong.
 */
export function readRetrievalInput(options: EvaluateRetrievalOptions): RetrievalInput {
  if ('scores' in options) {
    checkOptionNames(options, [...SETTINGS, 'scores'], WHERE);
    const { scores } = options;
    checkMatrix(scores, 'scores');
    return {
      similarity: 'precomputed',
      queryRows: scores.rows,
      galleryRows: scores.cols,
      rowWidth: scores.cols,
      rows: scores.data,
      work: scores.rows * scores.cols * 8,
      source: () => ({ kind: 'scores', galleryRows: scores.cols }),
    };
  }
  checkOptionNames(options, [...SETTINGS, 'queries', 'gallery', 'similarity'], WHERE);
  const { queries, gallery } = options;
  if (!queries || !gallery) {
    throw new MetricsError(`${WHERE}: give either scores, or queries and gallery`);
  }
  if ('words' in queries || 'words' in gallery) {
    if (!('words' in queries && 'words' in gallery)) {
      throw new MetricsError(`${WHERE}: queries and gallery must both be binary codes`);
    }
    checkChoice(options.similarity ?? 'hamming', ['hamming'], 'similarity', WHERE);
    checkCodes(queries, 'queries');
    checkCodes(gallery, 'gallery');
    if (queries.bits !== gallery.bits) {
      throw new MetricsError(
        `${WHERE}: query codes have ${queries.bits} bits but gallery codes ${gallery.bits}`,
      );
    }
    const per = wordsPerRow(queries.bits);
    return {
      similarity: 'hamming',
      queryRows: queries.rows,
      galleryRows: gallery.rows,
      rowWidth: per,
      rows: queries.words,
      work: queries.rows * gallery.rows * per * 4,
      source: () => ({ kind: 'codes', gallery: { ...gallery, words: sharedCopy(gallery.words) } }),
    };
  }
  const similarity = checkChoice(
    options.similarity ?? 'euclidean',
    SIMILARITIES,
    'similarity',
    WHERE,
  );
  checkMatrix(queries, 'queries');
  checkMatrix(gallery, 'gallery');
  if (queries.cols !== gallery.cols) {
    throw new MetricsError(
      `${WHERE}: queries have ${queries.cols} dimensions but gallery items ${gallery.cols}`,
    );
  }
  return {
    similarity,
    queryRows: queries.rows,
    galleryRows: gallery.rows,
    rowWidth: queries.cols,
    rows: queries.data,
    work: queries.rows * gallery.rows * Math.max(queries.cols, 8),
    source: (slots, blockSize, maxRelevant) => {
      const bounded =
        (similarity === 'cosine' || similarity === 'dot') &&
        withinBoundedRange(queries.data) &&
        withinBoundedRange(gallery.data);
      return {
        kind: 'embeddings',
        similarity,
        gallery: createGalleryMemory(
          gallery.data,
          gallery.rows,
          gallery.cols,
          slots,
          blockSize,
          bounded,
          undefined,
          maxRelevant,
        ),
        galleryNormsSq: rowNormsSquared(gallery.data, gallery.rows, gallery.cols),
        bounded,
      };
    },
  };
}

/**
 * Whether every value is finite with magnitude at most 2^50, so float32 dot products of up to
 * 2^18 dimensions cannot overflow (the bounded path's condition).
 */
function withinBoundedRange(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v <= 2 ** 50 && v >= -(2 ** 50))) return false;
  }
  return true;
}

/** Converts labels to `Int32Array`, checking their count and that they are 32-bit integers. */
export function readLabels(
  labels: Int32Array | readonly number[],
  name: string,
  rows: number,
): Int32Array {
  if (labels.length !== rows) {
    throw new MetricsError(`${WHERE}: ${name} has ${labels.length} labels for ${rows} rows`);
  }
  if (labels instanceof Int32Array) return labels;
  const out = new Int32Array(rows);
  labels.forEach((v, i) => {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      throw new MetricsError(`${WHERE}: ${name}[${i}] is ${v}; labels must be 32-bit integers`);
    }
    out[i] = v;
  });
  return out;
}

/**
 * How many worker threads to start: `auto` uses every core (at most 8) for large inputs when the
 * built worker file exists next to this module, else none.
 * @throws {MetricsError} for a bad count, or threads asked for without the worker file.
 */
export function workerCount(requested: number | 'auto', workerUrl: URL, work: number): number {
  const available = existsSync(fileURLToPath(workerUrl));
  if (requested === 'auto') {
    return available && work >= SMALL_WORK ? Math.min(availableParallelism(), 8) : 0;
  }
  if (!Number.isInteger(requested) || requested < 0) {
    throw new MetricsError(`${WHERE}: workers must be 'auto' or an integer >= 0, got ${requested}`);
  }
  if (requested > 0 && !available) {
    throw new MetricsError(
      `${WHERE}: worker file ${fileURLToPath(workerUrl)} not found; build the package or use workers: 0`,
    );
  }
  return requested;
}
