import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Split, validateJson } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import type { RetrievalReport } from '@zs-sbir/metrics';
import * as v from 'valibot';
import { ExperimentError } from '../experiment/experiment-error.js';
import type { RunTiming } from '../progress/phase-clock.js';

/** One method's headline numbers on the unseen classes. */
export interface SummaryRow {
  method: string;
  mAPAll: number;
  mAPAtK: Record<number, number>;
  precisionAtK: Record<number, number>;
}

/**
 * `summary.json`: every method on the same split, protocol and similarity; with the time of each
 * phase of the run that wrote it (`phases`, `totalSeconds`, `peakRssMiB`; absent in summaries
 * written before they were recorded).
 */
export interface Summary extends Partial<RunTiming> {
  schema: 'zs-sbir/summary';
  version: 1;
  dataset: string;
  protocol: string;
  similarity: string;
  split: { name: string; seen: string[]; unseen: string[]; validation: string[] };
  backbone: string;
  sideInfo: string;
  rows: SummaryRow[];
}

// A metric as JSON holds it: NaN was written as null and reads back as NaN.
const metric = v.pipe(
  v.union([v.number(), v.null()], 'a number (null for NaN)'),
  v.transform((x) => x ?? Number.NaN),
);
const nonNegative = v.pipe(v.number(), v.minValue(0));
const SUMMARY = v.object({
  schema: v.literal('zs-sbir/summary', "'zs-sbir/summary' (a zs-sbir-train --compare summary)"),
  version: v.literal(1, '1 (the summary version this package reads)'),
  dataset: v.string(),
  protocol: v.string(),
  similarity: v.string(),
  split: v.object({
    name: v.string(),
    seen: v.array(v.string()),
    unseen: v.array(v.string()),
    validation: v.array(v.string()),
  }),
  backbone: v.string(),
  sideInfo: v.string(),
  totalSeconds: v.optional(nonNegative),
  peakRssMiB: v.optional(nonNegative),
  phases: v.optional(
    v.array(
      v.object({
        name: v.string(),
        start: v.number(),
        seconds: nonNegative,
        within: v.optional(v.string()),
        peakRssMiB: v.optional(nonNegative),
      }),
    ),
  ),
  rows: v.array(
    v.object({
      method: v.string(),
      mAPAll: metric,
      mAPAtK: v.record(v.string(), metric),
      precisionAtK: v.record(v.string(), metric),
    }),
  ),
});

/**
 * Reads and checks `summary.json` in `dir` (`null`s written for NaN read back as NaN).
 *
 * @throws the read error when the file cannot be read; {@link ExperimentError} naming the file
 *   and the key when it is not JSON or not a version-1 summary.
 */
export async function readSummary(dir: string): Promise<Summary> {
  const file = join(dir, 'summary.json');
  const text = await readFile(file, 'utf8');
  return validateJson(SUMMARY, text, { where: file, noun: 'key', error: ExperimentError });
}

/** The summary row of a method's report. */
export function summaryRow(method: string, report: RetrievalReport): SummaryRow {
  return {
    method,
    mAPAll: report.mAPAll,
    mAPAtK: report.mAPAtK,
    precisionAtK: report.precisionAtK,
  };
}

/** The summary as a Markdown table, one row per method, with each method's gain over `backbone`. */
export function summaryTable(summary: Summary): string {
  const ks = Object.keys(summary.rows[0]?.mAPAtK ?? {});
  const base = summary.rows.find((r) => r.method === 'backbone')?.mAPAll;
  const header = [
    'method',
    'mAP@all',
    ...ks.map((k) => `mAP@${k}`),
    ...ks.map((k) => `P@${k}`),
    'vs backbone',
  ];
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');
  const lines = summary.rows.map((r) => [
    r.method,
    f(r.mAPAll),
    ...ks.map((k) => f(r.mAPAtK[Number(k)]!)),
    ...ks.map((k) => f(r.precisionAtK[Number(k)]!)),
    base ? `${((r.mAPAll / base - 1) * 100).toFixed(1)}%` : '',
  ]);
  return [header, header.map(() => '---'), ...lines].map((c) => `| ${c.join(' | ')} |`).join('\n');
}

/** Writes `summary.json` and `summary.md` into `dir` (atomically). */
export async function writeSummary(dir: string, summary: Summary, split: Split): Promise<void> {
  const intro =
    `# ${summary.dataset}: zero-shot retrieval of unseen classes\n\n` +
    `Split ${split.name}: ${split.seen.length} seen, ${split.validation.length} validation, ${split.unseen.length} unseen classes. ` +
    `Protocol ${summary.protocol}, ${summary.similarity} similarity. Backbone ${summary.backbone}; side information ${summary.sideInfo}.\n\n`;
  await atomicWriteFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await atomicWriteFile(join(dir, 'summary.md'), `${intro}${summaryTable(summary)}\n`);
}
