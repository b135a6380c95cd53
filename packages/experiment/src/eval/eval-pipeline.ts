import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBackendReport, initBackend } from '@zs-sbir/core';
import { readNpyLabels, readNpyMatrix } from '@zs-sbir/io';
import {
  evaluateRetrieval,
  type Protocol,
  type RetrievalReport,
  type Similarity,
} from '@zs-sbir/metrics';
import { loadCheckpoint, verifyCheckpoint } from '@zs-sbir/wad-cmsn';
import { ExperimentError } from '../experiment/experiment-error.js';
import { prepareExperiment } from '../experiment/prepare-experiment.js';
import type { OnProgress } from '../progress/progress.js';
import { DEFAULT_KS } from '../report/default-ks.js';
import { type GridInput, REPORT_FILES, writeEvaluation } from '../report/write-evaluation.js';
import { type RunDescription, readRunDescription } from '../train/run-folder.js';
import { checkEvalInputs, type EvalSide } from './check-eval-inputs.js';
import { checkClassNamesCover, parseClassNames } from './class-names.js';

/** What {@link runEvalPipeline} scores: a trained run, or embeddings saved as `.npy`. */
export interface EvalOptions {
  /** A `zs-sbir-train` run folder (`run.json` + `checkpoints/best`); or the four files below. */
  checkpoint?: string;
  /** Query embeddings `[queries, dim]` (`.npy`). */
  queries?: string;
  /** Query class labels `[queries]` (`.npy`). */
  queryLabels?: string;
  /** Gallery embeddings `[gallery, dim]` (`.npy`). */
  gallery?: string;
  /** Gallery class labels `[gallery]` (`.npy`). */
  galleryLabels?: string;
  /** Class names, one per line, line 1 naming label 0 (with the files). */
  classNames?: string;
  /** Similarity of the files' embeddings; default cosine (a run uses its config's). */
  similarity?: Similarity;
  /** Evaluator rules; default the run's protocol, else sklearn. */
  protocol?: Protocol;
  /** Cut-offs of mAP@K and P@K; default {@link DEFAULT_KS}. */
  ks?: readonly number[];
  /** Where report.json, report.md and the figures go; default `eval-report`. */
  out?: string;
  /**
   * Replace a report already in `out` (its files from {@link REPORT_FILES}, also figures this
   * evaluation does not draw); default false: a folder that holds one is an error, raised before
   * any work.
   */
  overwrite?: boolean;
}

/** What {@link runEvalPipeline} did: the report and the files written into `out`. */
export interface EvalResult {
  report: RetrievalReport;
  out: string;
  /** Files written, relative to `out`. */
  files: string[];
}

/** How {@link runEvalPipeline} reports: log lines and progress of the data preparation. */
export interface EvalIo {
  log: (line: string) => void;
  onProgress?: OnProgress;
}

/** The file options, with the flags their errors name. */
const FILES = {
  queries: '--queries',
  queryLabels: '--query-labels',
  gallery: '--gallery',
  galleryLabels: '--gallery-labels',
} as const;
type FileOption = keyof typeof FILES;
const FILE_OPTIONS = Object.keys(FILES) as FileOption[];

async function evaluateFiles(
  o: EvalOptions,
  common: { protocol: Protocol; ks: readonly number[] },
) {
  const missing = FILE_OPTIONS.filter((k) => !o[k]);
  if (missing.length > 0) {
    throw new ExperimentError(`evaluating files needs ${missing.map((k) => FILES[k]).join(', ')}`);
  }
  const [queries, queryLabels, gallery, galleryLabels] = await Promise.all([
    readNpyMatrix(o.queries!),
    readNpyLabels(o.queryLabels!),
    readNpyMatrix(o.gallery!),
    readNpyLabels(o.galleryLabels!),
  ]);
  const side = (rows: number, labels: Int32Array, option: FileOption, labelOption: FileOption) => ({
    rows,
    labels,
    source: `${FILES[option]} ${o[option]!}`,
    labelSource: `${FILES[labelOption]} ${o[labelOption]!}`,
  });
  const sides: [EvalSide, EvalSide] = [
    side(queries.rows, queryLabels, 'queries', 'queryLabels'),
    side(gallery.rows, galleryLabels, 'gallery', 'galleryLabels'),
  ];
  checkEvalInputs(...sides);
  let classNames: string[] | undefined;
  if (o.classNames) {
    const file = o.classNames;
    classNames = parseClassNames(await readFile(file, 'utf8'), `--class-names ${file}`);
    checkClassNamesCover(classNames, `--class-names ${file}`, sides);
  }
  const report = await evaluateRetrieval({
    queries,
    gallery,
    queryLabels,
    galleryLabels,
    similarity: o.similarity ?? 'cosine',
    protocol: common.protocol,
    ks: [...common.ks],
    ...(classNames ? { classNames } : {}),
  });
  return { report, title: `${o.queries!} against ${o.gallery!}` };
}

async function evaluateCheckpoint(
  dir: string,
  common: { protocol?: Protocol; ks: readonly number[] },
  io: EvalIo,
) {
  let run: RunDescription;
  try {
    run = await readRunDescription(dir);
  } catch (err) {
    if (err instanceof ExperimentError) throw new ExperimentError(`--checkpoint ${err.message}`);
    throw new ExperimentError(
      `--checkpoint ${dir}: no readable run.json (${(err as Error).message}); pass a zs-sbir-train run folder such as runs/qd-emoji/wad-cmsn`,
    );
  }
  io.log(formatBackendReport(await initBackend()));
  // A missing or damaged checkpoint fails before the data is prepared.
  await verifyCheckpoint(join(dir, 'checkpoints', 'best'));
  const { experiment, partition } = await prepareExperiment(run.spec, {
    log: io.log,
    ...(io.onProgress ? { onProgress: io.onProgress } : {}),
  });
  const set = partition.test;
  const test = (name: 'queries' | 'gallery', what: string): EvalSide => ({
    rows: set[name].rows,
    labels: set[name].labels,
    source: `--checkpoint ${dir} (test ${what}s)`,
    labelSource: `--checkpoint ${dir} (test ${what} labels)`,
  });
  checkEvalInputs(test('queries', 'sketch'), test('gallery', 'image'));
  const { model } = await loadCheckpoint(join(dir, 'checkpoints', 'best'));
  const d = model.config.embeddingDim;
  const { similarity } = model.config.retrieval;
  const queries = { data: model.embed('sketch', set.queries), rows: set.queries.rows, cols: d };
  const gallery = { data: model.embed('image', set.gallery), rows: set.gallery.rows, cols: d };
  model.dispose();
  const report = await evaluateRetrieval({
    queries,
    gallery,
    queryLabels: set.queries.labels,
    galleryLabels: set.gallery.labels,
    similarity,
    classNames: experiment.dataset.classes,
    ks: [...common.ks],
    protocol: common.protocol ?? run.protocol ?? 'sklearn',
  });
  const grid: GridInput = {
    queries: { ...queries, labels: set.queries.labels, paths: set.queries.paths ?? [] },
    gallery: { ...gallery, labels: set.gallery.labels, paths: set.gallery.paths ?? [] },
  };
  return { report, title: `${experiment.name} unseen classes (${dir})`, grid };
}

/**
 * `zs-sbir-eval`: scores a trained run's unseen classes (`checkpoint`: the run's split and
 * features are prepared again from its `run.json`) or any embeddings saved as `.npy` (the four
 * files), and writes the report and figures into `out` (see `writeEvaluation`). A report
 * already in `out` is replaced only with `overwrite`.
 *
 * @throws ExperimentError naming a missing input, a bad value, an unusable file, or an `out` that
 *   already holds a report (without `overwrite`).
 */
export async function runEvalPipeline(options: EvalOptions, io: EvalIo): Promise<EvalResult> {
  const ks = options.ks ?? DEFAULT_KS;
  const fromFiles = FILE_OPTIONS.some((k) => options[k]);
  if (fromFiles === Boolean(options.checkpoint)) {
    throw new ExperimentError(
      'give either --checkpoint DIR or the four --queries/--query-labels/--gallery/--gallery-labels files',
    );
  }
  const out = options.out ?? 'eval-report';
  const earlier = Object.values(REPORT_FILES).filter((file) => existsSync(join(out, file)));
  if (earlier.length > 0 && !options.overwrite) {
    throw new ExperimentError(
      `${out} already holds a report (${earlier.join(', ')}); --overwrite replaces it, or give another --out`,
    );
  }
  const result: { report: RetrievalReport; title: string; grid?: GridInput } = options.checkpoint
    ? await evaluateCheckpoint(
        options.checkpoint,
        { ks, ...(options.protocol ? { protocol: options.protocol } : {}) },
        io,
      )
    : await evaluateFiles(options, { ks, protocol: options.protocol ?? 'sklearn' });
  const files = await writeEvaluation(out, result.report, {
    title: result.title,
    ...(result.grid ? { grid: result.grid } : {}),
  });
  // With --overwrite, a figure of the earlier report that this one does not have would mislead.
  for (const file of earlier) if (!files.includes(file)) await rm(join(out, file));
  return { report: result.report, out, files };
}
