import { checkOptionNames } from './check-option-names.js';
import type { RetrievalReport } from './retrieval-report.js';

/** Options of {@link renderMarkdownReport}. */
export interface MarkdownReportOptions {
  /** Decimal places; default 4. */
  digits?: number;
  /** Include the per-class table; default true. */
  perClass?: boolean;
  /** Heading level of the title (1-6); default 2. */
  headingLevel?: number;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Renders a report as Markdown: a title naming the protocol and similarity, the counts, the
 * headline metrics (mAP@all, class-averaged mAP@all, mAP@K and P@K for each K), the 11-point
 * interpolated PR curve and, unless `perClass: false`, one row per class. NaN prints as `n/a`.
 */
export function renderMarkdownReport(
  report: RetrievalReport,
  options: MarkdownReportOptions = {},
): string {
  checkOptionNames(options, ['digits', 'perClass', 'headingLevel'], 'renderMarkdownReport');
  const digits = options.digits ?? 4;
  const hashes = '#'.repeat(Math.min(6, Math.max(1, options.headingLevel ?? 2)));
  const num = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
  const count = (v: number) => v.toLocaleString('en-US');
  const { counts, ks } = report;
  const parts = [
    `${hashes} Retrieval: ${report.protocol} protocol, ${report.similarity} similarity`,
    `${count(counts.queries)} queries, ${count(counts.gallery)} gallery items, ${count(counts.classes)} query classes` +
      (counts.queriesWithoutRelevant > 0
        ? ` (${count(counts.queriesWithoutRelevant)} queries have no relevant item)`
        : '') +
      `. P@K denominator: ${report.precisionDenominator}. Report schema ${report.schema} v${report.version}.`,
    table(
      ['metric', 'value'],
      [
        ['mAP@all', num(report.mAPAll)],
        ['mAP@all (class-averaged)', num(report.mAPAllClassAveraged)],
        ...ks.map((k) => [`mAP@${k}`, num(report.mAPAtK[k]!)]),
        ...ks.map((k) => [`P@${k}`, num(report.precisionAtK[k]!)]),
      ],
    ),
    `${hashes}# Precision-recall (11-point interpolated)`,
    table(
      ['recall', ...report.prCurve.interpolated.recall.map((r) => r.toFixed(1))],
      [['precision', ...report.prCurve.interpolated.precision.map(num)]],
    ),
  ];
  if (options.perClass ?? true) {
    parts.push(
      `${hashes}# Per class`,
      table(
        [
          'class',
          'queries',
          'relevant',
          'mAP@all',
          ...ks.map((k) => `mAP@${k}`),
          ...ks.map((k) => `P@${k}`),
        ],
        report.perClass.map((c) => [
          c.name ?? String(c.label),
          count(c.queries),
          count(c.relevant),
          num(c.mAP),
          ...ks.map((k) => num(c.mAPAtK[k]!)),
          ...ks.map((k) => num(c.precisionAtK[k]!)),
        ]),
      ),
    );
  }
  return `${parts.join('\n\n')}\n`;
}
