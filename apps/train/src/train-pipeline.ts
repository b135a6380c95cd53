import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBackendReport, initBackend } from '@zs-sbir/core';
import {
  ExperimentError,
  type ExperimentSpec,
  type GridInput,
  prepareExperiment,
  REPORT_FILES,
  writeEvaluation,
} from '@zs-sbir/eval';
import { atomicWriteFile, parseRetrievalReport, type RetrievalReport } from '@zs-sbir/metrics';
import {
  type EvaluationContext,
  embedSet,
  evaluateCentred,
  evaluateChance,
  evaluateEmbeddings,
} from './evaluate-methods.js';
import { TRAINED_METHOD_NAMES, TRAINED_METHODS } from './methods.js';
import { runConfig } from './run-config.js';
import { runJobs } from './run-jobs.js';
import { type Summary, summaryRow, summaryTable, writeSummary } from './summary.js';
import { trainOne } from './train-one.js';
import { compareJobArgs, type TrainCliOptions } from './train-options.js';

/** How the pipeline talks to the user: log lines and a stop flag (Ctrl-C). */
export interface PipelineIo {
  log: (line: string) => void;
  stopRequested: () => boolean;
  signal: AbortSignal;
  /** This command's script and arguments, to start the --compare jobs with. */
  script: string;
  argv: string[];
}

/** The data-defining part of the options, saved as `run.json` for `zs-sbir-eval --checkpoint`. */
export function experimentSpec(o: TrainCliOptions): ExperimentSpec {
  return {
    dataset: o.dataset,
    backbone: o.backbone,
    sideInfo: o.sideInfo,
    cacheDir: o.cacheDir,
    ...(o.root ? { root: o.root } : {}),
    ...(o.split ? { split: o.split } : {}),
    ...(o.splitSeed !== undefined ? { splitSeed: o.splitSeed } : {}),
    ...(o.weights ? { weights: o.weights } : {}),
    ...(o.inputSize ? { inputSize: o.inputSize } : {}),
    ...(o.wordVectors ? { wordVectors: o.wordVectors } : {}),
    ...(o.hierarchy ? { hierarchy: o.hierarchy } : {}),
  };
}

/**
 * `zs-sbir-train`: opens the dataset, extracts (or reuses) backbone features, trains WAD-CMSN and
 * evaluates the unseen classes; with `compare`, also the chance, backbone and centred baselines
 * and the no-critic and no-identity ablations, written to `summary.json`.
 */
export async function runTrainPipeline(
  options: TrainCliOptions,
  io: PipelineIo,
): Promise<Summary | null> {
  const backend = await initBackend();
  io.log(formatBackendReport(backend));
  // Read and check the config before the long data preparation, so a wrong key fails at once.
  const baseConfig = await runConfig(options);
  const spec = experimentSpec(options);
  const {
    experiment,
    partition: part,
    backbone,
  } = await prepareExperiment(spec, io.log, io.signal);
  const { dataset, split } = experiment;
  const ctx: EvaluationContext = { protocol: options.protocol, classNames: dataset.classes };
  const rows: Summary['rows'] = [];
  const record = async (method: string, report: RetrievalReport, grid?: GridInput) => {
    await writeEvaluation(join(options.out, method, 'report'), report, {
      title: `${experiment.name} ${method}`,
      ...(grid ? { grid } : {}),
    });
    rows.push(summaryRow(method, report));
    io.log(
      `${method}: mAP@all ${report.mAPAll.toFixed(4)}, P@100 ${report.precisionAtK[100]?.toFixed(4)}`,
    );
  };
  if (options.compare) {
    await record('chance', await evaluateChance(part.test, ctx));
    await record(
      'backbone',
      await evaluateEmbeddings(part.test.queries, part.test.gallery, part.test, ctx),
    );
    await record('centred', await evaluateCentred(part.train, part.test, ctx));
    const failed = await runJobs(
      io.script,
      TRAINED_METHOD_NAMES.map((m) => ({ label: m, args: compareJobArgs(io.argv, options, m) })),
      options.jobs,
      io.log,
      io.signal,
    );
    if (io.stopRequested()) {
      throw new ExperimentError(
        `stopped by Ctrl-C before ${failed.length ? `${failed.join(', ')} finished` : 'the summary'}; the same command with --resume continues`,
      );
    }
    if (failed.length > 0)
      throw new ExperimentError(`training failed for ${failed.join(', ')} (see the lines above)`);
    for (const m of TRAINED_METHOD_NAMES) {
      const report = parseRetrievalReport(
        await readFile(join(options.out, m, 'report', REPORT_FILES.json), 'utf8'),
      );
      rows.push(summaryRow(m, report));
    }
  } else {
    const method = options.method ?? 'wad-cmsn';
    const config = await runConfig(options, TRAINED_METHODS[method]);
    await mkdir(join(options.out, method), { recursive: true });
    await atomicWriteFile(
      join(options.out, method, 'run.json'),
      `${JSON.stringify({ schema: 'zs-sbir/train-run', version: 1, spec, protocol: options.protocol, config }, null, 2)}\n`,
    );
    const { model } = await trainOne({
      label: method,
      config,
      partition: part,
      sideInfo: experiment.sideInfo,
      dir: join(options.out, method),
      resume: options.resume,
      stopRequested: io.stopRequested,
      log: io.log,
      engine: options.engine,
      // A --compare job is given its share by the parent; a run of its own uses every core.
      threads: options.threads ?? 0,
    });
    const embedded = embedSet(model, part.test);
    const report = await evaluateEmbeddings(
      embedded.queries,
      embedded.gallery,
      part.test,
      ctx,
      config.retrieval.similarity,
    );
    model.dispose();
    await record(method, report, {
      queries: {
        ...embedded.queries,
        labels: part.test.queries.labels,
        paths: part.test.queries.paths ?? [],
      },
      gallery: {
        ...embedded.gallery,
        labels: part.test.gallery.labels,
        paths: part.test.gallery.paths ?? [],
      },
    });
    if (options.method) return null;
  }
  const summary: Summary = {
    schema: 'zs-sbir/summary',
    version: 1,
    dataset: experiment.name,
    protocol: options.protocol,
    similarity: baseConfig.retrieval.similarity,
    split: {
      name: split.name,
      seen: split.seen,
      unseen: split.unseen,
      validation: split.validation,
    },
    backbone: `${backbone.name} ${backbone.inputSize}px (${backbone.weights})`,
    sideInfo: experiment.sideInfoDescription,
    rows,
  };
  await writeSummary(options.out, summary, split);
  io.log(`\n${summaryTable(summary)}\n\nreports in ${options.out}`);
  return summary;
}
