import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBackendReport, initBackend } from '@zs-sbir/core';
import { readNpyLabels, readNpyMatrix } from '@zs-sbir/io';
import {
  evaluateRetrieval,
  PROTOCOLS,
  type Protocol,
  type RetrievalReport,
  SIMILARITIES,
  type Similarity,
} from '@zs-sbir/metrics';
import { loadCheckpoint, verifyCheckpoint } from '@zs-sbir/wad-cmsn';
import { type CliOption, parseCli } from './cli-kit/parse-cli.js';
import { ExperimentError } from './experiment/experiment-error.js';
import { type ExperimentSpec, prepareExperiment } from './experiment/prepare-experiment.js';
import { checkEvalInputs, type EvalSide } from './inputs/check-eval-inputs.js';
import { checkClassNamesCover, parseClassNames } from './inputs/class-names.js';
import { type GridInput, writeEvaluation } from './report/write-evaluation.js';

/** The options of `zs-sbir-eval`. */
export const EVAL_OPTIONS: Record<string, CliOption> = {
  checkpoint: {
    type: 'string',
    value: 'DIR',
    help: 'a zs-sbir-train run folder (run.json + checkpoints/best)',
  },
  queries: { type: 'string', value: 'FILE.npy', help: 'query embeddings [queries, dim]' },
  'query-labels': { type: 'string', value: 'FILE.npy', help: 'query class labels [queries]' },
  gallery: { type: 'string', value: 'FILE.npy', help: 'gallery embeddings [gallery, dim]' },
  'gallery-labels': { type: 'string', value: 'FILE.npy', help: 'gallery class labels [gallery]' },
  'class-names': {
    type: 'string',
    value: 'FILE',
    help: 'class names, one per line, line 1 naming label 0',
  },
  similarity: { type: 'string', help: 'for --queries (default cosine)', choices: SIMILARITIES },
  protocol: { type: 'string', help: 'evaluator rules (default sklearn)', choices: PROTOCOLS },
  ks: { type: 'string', value: 'K,K', help: 'cut-offs for mAP@K and P@K (default 100,200)' },
  out: {
    type: 'string',
    value: 'DIR',
    help: 'where report.json, report.md and figures go (default eval-report)',
  },
  help: { type: 'boolean', help: 'print this help' },
};

const FILE_OPTIONS = ['queries', 'query-labels', 'gallery', 'gallery-labels'] as const;

/** The cut-offs reported by default: mAP@100, mAP@200, P@100, P@200. */
export const DEFAULT_KS: readonly number[] = [100, 200];

function parseKs(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_KS];
  const ks = text.split(',').map((k) => Number(k.trim()));
  if (ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new ExperimentError(
      `--ks ${text}: expected positive integers separated by commas, e.g. 100,200`,
    );
  }
  return ks;
}

async function evaluateFiles(
  v: Record<string, unknown>,
  common: { protocol: Protocol; ks: number[] },
) {
  const missing = FILE_OPTIONS.filter((k) => !v[k]);
  if (missing.length > 0) {
    throw new ExperimentError(`evaluating files needs ${missing.map((k) => `--${k}`).join(', ')}`);
  }
  const [queries, queryLabels, gallery, galleryLabels] = await Promise.all([
    readNpyMatrix(v.queries as string),
    readNpyLabels(v['query-labels'] as string),
    readNpyMatrix(v.gallery as string),
    readNpyLabels(v['gallery-labels'] as string),
  ]);
  const side = (rows: number, labels: Int32Array, option: string, labelOption: string) => ({
    rows,
    labels,
    source: `--${option} ${v[option] as string}`,
    labelSource: `--${labelOption} ${v[labelOption] as string}`,
  });
  const sides: [EvalSide, EvalSide] = [
    side(queries.rows, queryLabels, 'queries', 'query-labels'),
    side(gallery.rows, galleryLabels, 'gallery', 'gallery-labels'),
  ];
  checkEvalInputs(...sides);
  let classNames: string[] | undefined;
  if (v['class-names']) {
    const file = v['class-names'] as string;
    classNames = parseClassNames(await readFile(file, 'utf8'), `--class-names ${file}`);
    checkClassNamesCover(classNames, `--class-names ${file}`, sides);
  }
  const report = await evaluateRetrieval({
    queries,
    gallery,
    queryLabels,
    galleryLabels,
    similarity: (v.similarity as Similarity | undefined) ?? 'cosine',
    ...common,
    ...(classNames ? { classNames } : {}),
  });
  return { report, title: `${v.queries as string} against ${v.gallery as string}` };
}

async function evaluateCheckpoint(
  dir: string,
  common: { protocol?: Protocol; ks: number[] },
  log: (l: string) => void,
) {
  let run: { schema?: string; spec?: ExperimentSpec; protocol?: Protocol };
  try {
    run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
  } catch (err) {
    throw new ExperimentError(
      `--checkpoint ${dir}: no readable run.json (${(err as Error).message}); pass a zs-sbir-train run folder such as runs/qd-emoji/wad-cmsn`,
    );
  }
  if (run.schema !== 'zs-sbir/train-run' || !run.spec) {
    throw new ExperimentError(
      `--checkpoint ${dir}: run.json is not a zs-sbir-train run description`,
    );
  }
  log(formatBackendReport(await initBackend()));
  // A missing or damaged checkpoint fails before the data is prepared.
  await verifyCheckpoint(join(dir, 'checkpoints', 'best'));
  const { experiment, partition } = await prepareExperiment(run.spec, log);
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
    ks: common.ks,
    protocol: common.protocol ?? run.protocol ?? 'sklearn',
  });
  const grid: GridInput = {
    queries: { ...queries, labels: set.queries.labels, paths: set.queries.paths ?? [] },
    gallery: { ...gallery, labels: set.gallery.labels, paths: set.gallery.paths ?? [] },
  };
  return { report, title: `${experiment.name} unseen classes (${dir})`, grid };
}

/**
 * `zs-sbir-eval`: scores a trained run's unseen classes (`--checkpoint`) or any embeddings saved
 * as `.npy` (`--queries ...`), and writes the report and figures.
 *
 * @throws ExperimentError naming an unknown option, a missing input or a bad value.
 */
export async function runEval(
  argv: string[],
  log: (line: string) => void,
): Promise<RetrievalReport | null> {
  const v = parseCli(argv, EVAL_OPTIONS);
  if (v.help) return null;
  const protocol = v.protocol as Protocol | undefined;
  const ks = parseKs(v.ks as string | undefined);
  const fromFiles = FILE_OPTIONS.some((k) => v[k]);
  if (fromFiles === Boolean(v.checkpoint)) {
    throw new ExperimentError(
      'give either --checkpoint DIR or the four --queries/--query-labels/--gallery/--gallery-labels files',
    );
  }
  const result: { report: RetrievalReport; title: string; grid?: GridInput } = v.checkpoint
    ? await evaluateCheckpoint(
        v.checkpoint as string,
        { ks, ...(protocol ? { protocol } : {}) },
        log,
      )
    : await evaluateFiles(v, { ks, protocol: protocol ?? 'sklearn' });
  const out = (v.out as string | undefined) ?? 'eval-report';
  const files = await writeEvaluation(out, result.report, {
    title: result.title,
    ...(result.grid ? { grid: result.grid } : {}),
  });
  const { queries, queriesWithoutRelevant } = result.report.counts;
  if (queriesWithoutRelevant > 0) {
    log(
      `warning: ${queriesWithoutRelevant} of ${queries} queries have no relevant gallery item (their class is not among the gallery labels); ${result.report.protocol === 'voc' ? 'the voc protocol leaves them out of the mAPs (AP NaN) and counts them as P@K 0' : 'the sklearn protocol counts them as 0 in every mean'}`,
    );
  }
  const k = ks[0];
  log(
    `mAP@all ${result.report.mAPAll.toFixed(4)}${k ? `, P@${k} ${result.report.precisionAtK[k]!.toFixed(4)}, mAP@${k} ${result.report.mAPAtK[k]!.toFixed(4)}` : ''} (${result.report.protocol} protocol, ${result.report.counts.queries} queries, ${result.report.counts.gallery} gallery items)\nwrote ${files.map((f) => join(out, f)).join(', ')}`,
  );
  return result.report;
}
