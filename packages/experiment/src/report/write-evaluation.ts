import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile, type Matrix } from '@zs-sbir/io';
import { type RetrievalReport, renderMarkdownReport } from '@zs-sbir/metrics';
import { classApSvg } from '../figures/class-ap-figure.js';
import { prCurveSvg } from '../figures/pr-curve-figure.js';
import { retrievalGridPng } from '../figures/retrieval-grid-figure.js';
import { svgToPng } from '../figures/svg-to-png.js';
import { pickQueries, topResults } from './top-results.js';

/** What the retrieval figure needs: L2-normalised embeddings with labels and image paths. */
export interface GridInput {
  queries: Matrix & { labels: Int32Array; paths: string[] };
  gallery: Matrix & { labels: Int32Array; paths: string[] };
  /** Query rows shown; default 8. */
  rows?: number;
  /** Results per row; default 10. */
  results?: number;
}

/** Files {@link writeEvaluation} wrote, relative to its folder. */
export const REPORT_FILES = {
  json: 'report.json',
  markdown: 'report.md',
  prCurve: 'pr-curve.png',
  classAp: 'class-ap.png',
  grid: 'retrieval-grid.png',
} as const;

/**
 * Writes an evaluation to `dir`: `report.json` (the metrics package's stable, versioned shape),
 * `report.md`, and the figures `pr-curve.png`, `class-ap.png` and, given embeddings with image
 * paths, `retrieval-grid.png` (query sketches and their top results framed green or red). Every
 * file is written atomically.
 */
export async function writeEvaluation(
  dir: string,
  report: RetrievalReport,
  options: { title?: string; grid?: GridInput } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const title = options.title ?? 'Retrieval';
  const json = JSON.stringify(
    report,
    (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
  await atomicWriteFile(join(dir, REPORT_FILES.json), `${json}\n`);
  await atomicWriteFile(
    join(dir, REPORT_FILES.markdown),
    `# ${title}\n\n${renderMarkdownReport(report)}\n`,
  );
  await atomicWriteFile(
    join(dir, REPORT_FILES.prCurve),
    await svgToPng(
      prCurveSvg(
        [
          { name: 'interpolated (11-point)', ...report.prCurve.interpolated },
          { name: 'raw', ...report.prCurve.raw },
        ],
        `${title}: precision-recall`,
      ),
    ),
  );
  await atomicWriteFile(
    join(dir, REPORT_FILES.classAp),
    await svgToPng(
      classApSvg(
        report.perClass.map((c) => ({ name: c.name ?? String(c.label), ap: c.mAP })),
        `${title}: AP per class`,
      ),
    ),
  );
  const written: string[] = [
    REPORT_FILES.json,
    REPORT_FILES.markdown,
    REPORT_FILES.prCurve,
    REPORT_FILES.classAp,
  ];
  const grid = options.grid;
  if (grid && grid.queries.paths.length > 0 && grid.gallery.paths.length > 0) {
    const rows = pickQueries(grid.queries.labels, grid.rows ?? 8).map((q) => ({
      query: grid.queries.paths[q]!,
      results: topResults(grid.queries, grid.gallery, q, grid.results ?? 10).map((g) => ({
        path: grid.gallery.paths[g]!,
        correct: grid.gallery.labels[g] === grid.queries.labels[q],
      })),
    }));
    await atomicWriteFile(join(dir, REPORT_FILES.grid), await retrievalGridPng(rows));
    written.push(REPORT_FILES.grid);
  }
  return written;
}
