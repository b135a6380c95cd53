import { integerSchema, oneOfSchema, validateJson } from '@zs-sbir/core/validation';
import * as v from 'valibot';
import { MetricsError } from './metrics-error.js';
import {
  PRECISION_DENOMINATORS,
  PROTOCOLS,
  type PrecisionDenominator,
  type Protocol,
} from './protocol.js';
import { SIMILARITIES, type Similarity } from './similarity.js';

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

// The schema of a report as JSON holds it: NaN was written as `null` and reads back as NaN.
const metric = v.pipe(
  v.union([v.number(), v.null()], 'a number (null for NaN)'),
  v.transform((x) => x ?? Number.NaN),
);
const kKey = v.pipe(v.string(), v.regex(/^[1-9]\d*$/, 'a positive integer K'));
const count = integerSchema({ min: 0 });
const curve = v.object({ recall: v.array(metric), precision: v.array(metric) });

const reportSchema = v.object({
  schema: v.literal(
    RETRIEVAL_REPORT_SCHEMA,
    `'${RETRIEVAL_REPORT_SCHEMA}' (this is not a retrieval report)`,
  ),
  version: v.literal(
    RETRIEVAL_REPORT_VERSION,
    `${RETRIEVAL_REPORT_VERSION} (the report version this package reads)`,
  ),
  protocol: oneOfSchema(PROTOCOLS),
  similarity: oneOfSchema([...SIMILARITIES, 'hamming', 'precomputed'] as const),
  precisionDenominator: oneOfSchema(PRECISION_DENOMINATORS),
  ks: v.array(integerSchema()),
  counts: v.object({
    queries: count,
    gallery: count,
    classes: count,
    queriesWithoutRelevant: count,
  }),
  mAPAll: metric,
  mAPAllClassAveraged: metric,
  mAPAtK: v.record(kKey, metric),
  precisionAtK: v.record(kKey, metric),
  perClass: v.array(
    v.object({
      label: integerSchema({ min: 0 }),
      name: v.optional(v.string()),
      queries: count,
      relevant: count,
      mAP: metric,
      mAPAtK: v.record(kKey, metric),
      precisionAtK: v.record(kKey, metric),
    }),
  ),
  prCurve: v.object({ raw: curve, interpolated: curve }),
  perQuery: v.optional(
    v.object({
      ap: v.array(metric),
      apAtK: v.record(kKey, v.array(metric)),
      precisionAtK: v.record(kKey, v.array(metric)),
      relevant: v.array(count),
    }),
  ),
});

/**
 * Reads a report written with `JSON.stringify(report)` (any version-1 report): checks every
 * field against the report's schema and turns the `null`s JSON made of NaN back into NaN.
 *
 * @param source - what messages call the text, e.g. its file path; default `parseRetrievalReport`.
 * @throws {MetricsError} naming `source` and the key when the text is not JSON or not a version-1
 *   retrieval report, e.g. `report.json: key 'counts.queries' must be an integer >= 0, got "x"`.
 */
export function parseRetrievalReport(
  json: string,
  source = 'parseRetrievalReport',
): RetrievalReport {
  const report = validateJson(reportSchema, json, {
    where: source,
    noun: 'key',
    error: MetricsError,
  });
  return report as RetrievalReport;
}
