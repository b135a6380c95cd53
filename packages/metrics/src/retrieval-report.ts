import { MetricsError } from './metrics-error.js';
import type { PrecisionDenominator, Protocol } from './protocol.js';
import type { Similarity } from './similarity.js';

/** The `schema` field of every retrieval report. */
export const RETRIEVAL_REPORT_SCHEMA = 'zs-sbir/retrieval-report';
/** The report version this package writes; bumped on any incompatible change. */
export const RETRIEVAL_REPORT_VERSION = 1;

/** A precision-recall curve: `precision[i]` is the mean precision at recall `recall[i]`. */
export interface PrCurve {
  recall: number[];
  precision: number[];
}

/** Metrics of the queries of one class. */
export interface ClassResult {
  /** The class label (query and gallery labels are integers). */
  label: number;
  /** `classNames[label]` when the caller gave class names. */
  name?: string;
  /** Queries of this class. */
  queries: number;
  /** Gallery items of this class (R of each of these queries). */
  relevant: number;
  /** Mean AP of these queries (NaN-skipping). */
  mAP: number;
  mAPAtK: Record<number, number>;
  precisionAtK: Record<number, number>;
}

/**
 * The result of {@link evaluateRetrieval}, also its JSON report (`JSON.stringify` writes NaN as
 * `null`; {@link parseRetrievalReport} reads it back). Means skip NaN values (queries without a
 * relevant item under `voc`, or under P@K's `relevant` denominator), as the references'
 * `np.nanmean` does.
 */
export interface RetrievalReport {
  schema: typeof RETRIEVAL_REPORT_SCHEMA;
  version: typeof RETRIEVAL_REPORT_VERSION;
  protocol: Protocol;
  /** How scores were made: a {@link Similarity}, `hamming` for binary codes, or `precomputed`. */
  similarity: Similarity | 'hamming' | 'precomputed';
  precisionDenominator: PrecisionDenominator;
  /** The cut-offs of `mAPAtK` and `precisionAtK`. */
  ks: number[];
  counts: {
    queries: number;
    gallery: number;
    /** Distinct query labels. */
    classes: number;
    /** Queries whose class has no gallery item (AP 0 under `sklearn`, NaN and skipped under `voc`). */
    queriesWithoutRelevant: number;
  };
  /** Mean AP over queries (mAP@all). */
  mAPAll: number;
  /** Mean over classes of each class's mean AP (SAKE prints these per class). */
  mAPAllClassAveraged: number;
  /** Mean AP@K over queries, by K. */
  mAPAtK: Record<number, number>;
  /** Mean P@K over queries, by K. */
  precisionAtK: Record<number, number>;
  /** One entry per query class, by ascending label. */
  perClass: ClassResult[];
  /**
   * Mean over queries with a relevant item of: `raw`, the precision where recall first reaches
   * 0.01, 0.02, ... 1; `interpolated`, the highest precision at recall >= 0, 0.1, ... 1 (VOC
   * 11-point). Both on the stable ranking (ties in gallery order).
   */
  prCurve: { raw: PrCurve; interpolated: PrCurve };
  /** Per-query values in query order (absent when `perQuery: false`). */
  perQuery?: {
    ap: number[];
    apAtK: Record<number, number[]>;
    precisionAtK: Record<number, number[]>;
    /** R of each query. */
    relevant: number[];
  };
}

function revive(value: unknown): unknown {
  if (value === null) return Number.NaN;
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value === 'object' && value) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

/**
 * Reads a report written with `JSON.stringify(report)`: checks `schema` and `version`, turns the
 * `null`s JSON made of NaN back into NaN.
 * @throws {MetricsError} when the text is not a version-1 retrieval report.
 */
export function parseRetrievalReport(json: string): RetrievalReport {
  const value = JSON.parse(json) as Partial<RetrievalReport> | null;
  if (value?.schema !== RETRIEVAL_REPORT_SCHEMA) {
    throw new MetricsError(
      `parseRetrievalReport: not a retrieval report (schema ${JSON.stringify(value?.schema)}, expected '${RETRIEVAL_REPORT_SCHEMA}')`,
    );
  }
  if (value.version !== RETRIEVAL_REPORT_VERSION) {
    throw new MetricsError(
      `parseRetrievalReport: report version ${value.version} is not supported (this package reads version ${RETRIEVAL_REPORT_VERSION})`,
    );
  }
  return revive(value) as RetrievalReport;
}
