import type { BlockConfig } from './evaluate-block.js';
import { INTERPOLATED_RECALL_LEVELS, RAW_RECALL_LEVELS } from './pr-curve.js';
import {
  type ClassResult,
  RETRIEVAL_REPORT_SCHEMA,
  RETRIEVAL_REPORT_VERSION,
  type RetrievalReport,
} from './retrieval-report.js';

/** Per-query values of a whole evaluation, in query order. */
export interface QueryValues {
  ap: Float64Array;
  /** `[queries, ks.length]`. */
  apAtK: Float64Array;
  /** `[queries, ks.length]`. */
  precisionAtK: Float64Array;
  positives: Int32Array;
  /** `[queries, RAW_RECALL_LEVELS]`, NaN rows for queries without a relevant item. */
  prRaw: Float64Array;
  /** `[queries, INTERPOLATED_RECALL_LEVELS]`, likewise. */
  prInterpolated: Float64Array;
}

/** Mean of the values that are not NaN (NaN when there are none), like `np.nanmean`. */
export function nanMean(values: ArrayLike<number>, indices?: readonly number[]): number {
  let sum = 0;
  let count = 0;
  const n = indices ? indices.length : values.length;
  for (let i = 0; i < n; i++) {
    const v = values[indices ? indices[i]! : i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** Column `t` of a row-major `[rows, width]` matrix. */
function column(values: Float64Array, width: number, t: number): Float64Array {
  const out = new Float64Array(values.length / width);
  for (let q = 0; q < out.length; q++) out[q] = values[q * width + t]!;
  return out;
}

/** Mean curve over queries, NaN rows skipped; `recall(i)` is level i's recall. */
function meanCurve(rows: Float64Array, levels: number, recall: (i: number) => number) {
  return {
    recall: Array.from({ length: levels }, (_, i) => recall(i)),
    precision: Array.from({ length: levels }, (_, i) => nanMean(column(rows, levels, i))),
  };
}

function byK(ks: number[], value: (t: number) => number): Record<number, number> {
  return Object.fromEntries(ks.map((k, t) => [k, value(t)]));
}

/** Assembles the report from per-query values. */
export function buildReport(
  config: BlockConfig,
  similarity: RetrievalReport['similarity'],
  queryLabels: Int32Array,
  values: QueryValues,
  classNames: readonly string[] | undefined,
  includePerQuery: boolean,
): RetrievalReport {
  const { ks } = config;
  const nk = ks.length;
  const apAtK = ks.map((_, t) => column(values.apAtK, nk, t));
  const precisionAtK = ks.map((_, t) => column(values.precisionAtK, nk, t));
  const members = new Map<number, number[]>();
  queryLabels.forEach((label, q) => {
    const list = members.get(label);
    if (list) list.push(q);
    else members.set(label, [q]);
  });
  const perClass: ClassResult[] = [...members.keys()]
    .sort((a, b) => a - b)
    .map((label) => {
      const queries = members.get(label)!;
      const name = classNames?.[label];
      return {
        label,
        ...(name === undefined ? {} : { name }),
        queries: queries.length,
        relevant: values.positives[queries[0]!]!,
        mAP: nanMean(values.ap, queries),
        mAPAtK: byK(ks, (t) => nanMean(apAtK[t]!, queries)),
        precisionAtK: byK(ks, (t) => nanMean(precisionAtK[t]!, queries)),
      };
    });
  const report: RetrievalReport = {
    schema: RETRIEVAL_REPORT_SCHEMA,
    version: RETRIEVAL_REPORT_VERSION,
    protocol: config.protocol,
    similarity,
    precisionDenominator: config.denominator,
    ks: [...ks],
    counts: {
      queries: queryLabels.length,
      gallery: config.galleryLabels.length,
      classes: perClass.length,
      queriesWithoutRelevant: values.positives.filter((r) => r === 0).length,
    },
    mAPAll: nanMean(values.ap),
    mAPAllClassAveraged: nanMean(perClass.map((c) => c.mAP)),
    mAPAtK: byK(ks, (t) => nanMean(apAtK[t]!)),
    precisionAtK: byK(ks, (t) => nanMean(precisionAtK[t]!)),
    perClass,
    prCurve: {
      raw: meanCurve(values.prRaw, RAW_RECALL_LEVELS, (i) => (i + 1) / RAW_RECALL_LEVELS),
      interpolated: meanCurve(
        values.prInterpolated,
        INTERPOLATED_RECALL_LEVELS,
        (i) => i / (INTERPOLATED_RECALL_LEVELS - 1),
      ),
    },
  };
  if (includePerQuery) {
    report.perQuery = {
      ap: Array.from(values.ap),
      apAtK: byKArrays(ks, apAtK),
      precisionAtK: byKArrays(ks, precisionAtK),
      relevant: Array.from(values.positives),
    };
  }
  return report;
}

function byKArrays(ks: number[], columns: Float64Array[]): Record<number, number[]> {
  return Object.fromEntries(ks.map((k, t) => [k, Array.from(columns[t]!)]));
}
