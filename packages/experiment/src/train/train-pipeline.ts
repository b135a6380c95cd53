import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBackendReport, initBackend } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import { parseRetrievalReport, type RetrievalReport } from '@zs-sbir/metrics';
import { ExperimentError } from '../experiment/experiment-error.js';
import { qdEmojiRenderSize } from '../experiment/open-experiment.js';
import { type ExperimentSpec, prepareExperiment } from '../experiment/prepare-experiment.js';
import { PhaseClock, peakRssMiB, type RunTiming } from '../progress/phase-clock.js';
import type { OnProgress } from '../progress/progress.js';
import { type GridInput, REPORT_FILES, writeEvaluation } from '../report/write-evaluation.js';
import { checkOptionPaths } from './check-option-paths.js';
import {
  type EvaluationContext,
  embedSet,
  evaluateCentred,
  evaluateChance,
  evaluateEmbeddings,
} from './evaluate-methods.js';
import { readJobPhases, writeJobPhases } from './job-phases.js';
import { TRAINED_METHOD_NAMES, TRAINED_METHODS, type TrainedMethod } from './methods.js';
import { runConfig } from './run-config.js';
import {
  finishedLine,
  inspectRunFolder,
  planRun,
  RUN_FILES,
  type RunDescription,
  type RunPlan,
} from './run-folder.js';
import { readSummary, type Summary, summaryRow, summaryTable, writeSummary } from './summary.js';
import { trainOne } from './train-one.js';
import type { TrainOptions } from './train-options.js';

/**
 * How {@link runTrainPipeline} talks to its caller (the app): log lines, progress events, a stop
 * flag (Ctrl-C), and how to train the methods of a comparison in jobs of their own.
 */
export interface TrainIo {
  log: (line: string) => void;
  /** Progress of the data preparation and of training; default none. */
  onProgress?: OnProgress;
  stopRequested: () => boolean;
  signal: AbortSignal;
  /**
   * With `compare`: trains each of `methods` in a job of its own (`zs-sbir-train` starts itself
   * with `--method`), writing `<out>/<method>/report/report.json`, and returns the methods whose
   * job failed or never started. Needed only with `compare`.
   */
  trainInJobs?: (methods: TrainedMethod[]) => Promise<string[]>;
}

/** The data-defining part of the options, saved as `run.json` for `zs-sbir-eval --checkpoint`. */
export function experimentSpec(o: TrainOptions): ExperimentSpec {
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
    ...(o.layer?.length ? { layer: [...o.layer] } : {}),
    ...(o.dataset === 'qd-emoji' && qdEmojiRenderSize(o.inputSize) !== undefined
      ? { renderSize: qdEmojiRenderSize(o.inputSize) }
      : {}),
    ...(o.wordVectors ? { wordVectors: o.wordVectors } : {}),
    ...(o.hierarchy ? { hierarchy: o.hierarchy } : {}),
  };
}

/**
 * Each method's run plan (see `planRun`), from its resolved config and its folder in `--out`.
 *
 * @throws ExperimentError listing every method whose folder holds a run that the request would
 *   overwrite or cannot continue (one line each), before anything is read or written.
 */
async function planMethods(
  options: TrainOptions,
  spec: ExperimentSpec,
  methods: readonly TrainedMethod[],
): Promise<Partial<Record<TrainedMethod, RunPlan>>> {
  const plans: Partial<Record<TrainedMethod, RunPlan>> = {};
  const problems: string[] = [];
  for (const method of methods) {
    const config = await runConfig(options, TRAINED_METHODS[method]);
    const folder = await inspectRunFolder(join(options.out, method));
    try {
      plans[method] = planRun(folder, {
        config,
        spec,
        protocol: options.protocol,
        resume: options.resume,
        from: options.resumeFrom,
        overwrite: options.overwrite,
      });
    } catch (err) {
      if (!(err instanceof ExperimentError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0) throw new ExperimentError(problems.join('\n'));
  return plans;
}

/** The saved summary of `--compare`, when every trained method is finished and it was written for this protocol. */
async function finishedSummary(
  options: TrainOptions,
  plans: Partial<Record<TrainedMethod, RunPlan>>,
): Promise<Summary | null> {
  if (!Object.values(plans).every((p) => p.action === 'finished')) return null;
  // A missing or damaged summary is recomputed from the reports.
  const summary = await readSummary(options.out).catch(() => null);
  return summary?.protocol === options.protocol ? summary : null;
}

/**
 * `zs-sbir-train`: opens the dataset, extracts (or reuses) backbone features, trains WAD-CMSN and
 * evaluates the unseen classes; with `compare`, also the chance, backbone and centred baselines
 * and the no-critic and no-identity ablations, written to `summary.json` with the time of each
 * phase (`phases`, `totalSeconds`, `peakRssMiB`: see `RunTiming`). A `--method` job writes
 * its own phases to `phases.json` in its run folder, which the `compare` parent reads.
 */
export async function runTrainPipeline(
  options: TrainOptions,
  io: TrainIo,
): Promise<Summary | null> {
  const clock = new PhaseClock();
  const backend = await initBackend();
  io.log(formatBackendReport(backend));
  // Every config this command trains is read and checked, and every run folder it would write
  // is inspected, before the long data preparation: a wrong key or an existing run fails at once.
  await checkOptionPaths(options);
  const baseConfig = await runConfig(options);
  const spec = experimentSpec(options);
  const methods = options.compare ? TRAINED_METHOD_NAMES : [options.method ?? 'wad-cmsn'];
  const plans = await planMethods(options, spec, methods);
  for (const plan of Object.values(plans))
    if (plan.action === 'new' && plan.note) io.log(plan.note);
  if (options.compare) {
    const done = await finishedSummary(options, plans);
    if (done) {
      io.log(
        `${options.out}: ${methods.join(', ')} already finished; the table is its summary.json. Nothing to train; --overwrite trains them again\n\n${summaryTable(done)}`,
      );
      // The saved timing is that of the run that wrote it, not of this call.
      const { phases: _p, totalSeconds: _t, peakRssMiB: _m, ...rest } = done;
      return rest;
    }
  }
  const single = options.compare ? undefined : plans[methods[0]!]!;
  if (single?.action === 'finished') {
    io.log(finishedLine(single));
    return null;
  }
  const {
    experiment,
    partition: part,
    backbone,
  } = await prepareExperiment(spec, {
    log: io.log,
    signal: io.signal,
    clock,
    ...(io.onProgress ? { onProgress: io.onProgress } : {}),
  });
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
    await clock.time('evaluate chance', async () =>
      record('chance', await evaluateChance(part.test, ctx)),
    );
    await clock.time('evaluate backbone', async () =>
      record(
        'backbone',
        await evaluateEmbeddings(part.test.queries, part.test.gallery, part.test, ctx),
      ),
    );
    await clock.time('evaluate centred', async () =>
      record('centred', await evaluateCentred(part.train, part.test, ctx)),
    );
    if (!io.trainInJobs) {
      throw new ExperimentError('compare needs io.trainInJobs, which trains each method in a job');
    }
    const toTrain = TRAINED_METHOD_NAMES.filter((m) => {
      const plan = plans[m]!;
      if (plan.action === 'finished') io.log(finishedLine(plan));
      return plan.action !== 'finished';
    });
    const trainInJobs = io.trainInJobs;
    const failed = await clock.time('train jobs', () => trainInJobs(toTrain));
    for (const m of toTrain) {
      if (failed.includes(m)) continue;
      const job = await readJobPhases(join(options.out, m));
      if (job) {
        clock.add(
          job.phases.map((p) => ({ ...p, name: `${m}: ${p.name}` })),
          job.startedAt,
          'train jobs',
          job.peakRssMiB,
        );
      }
    }
    if (io.stopRequested()) {
      throw new ExperimentError(
        `stopped by Ctrl-C before ${failed.length ? `${failed.join(', ')} finished` : 'the summary'}; the same command with --resume continues`,
      );
    }
    if (failed.length > 0)
      throw new ExperimentError(`training failed for ${failed.join(', ')} (see the lines above)`);
    for (const m of TRAINED_METHOD_NAMES) {
      const file = join(options.out, m, 'report', REPORT_FILES.json);
      const report = parseRetrievalReport(await readFile(file, 'utf8'), file);
      rows.push(summaryRow(m, report));
    }
  } else if (single) {
    const method = methods[0]!;
    const plan = single;
    const config = await runConfig(options, TRAINED_METHODS[method]);
    const description: RunDescription = {
      schema: 'zs-sbir/train-run',
      version: 1,
      spec,
      protocol: options.protocol,
      config,
    };
    await mkdir(plan.dir, { recursive: true });
    await atomicWriteFile(
      join(plan.dir, RUN_FILES.description),
      `${JSON.stringify(description, null, 2)}\n`,
    );
    clock.start('train');
    const { model } = await trainOne({
      label: method,
      config,
      partition: part,
      sideInfo: experiment.sideInfo,
      dir: plan.dir,
      plan,
      stopRequested: io.stopRequested,
      log: io.log,
      ...(io.onProgress ? { onProgress: io.onProgress } : {}),
      engine: options.engine,
      // A --compare job is given its share by the parent; a run of its own uses every core.
      threads: options.threads ?? 0,
    });
    clock.start('evaluate');
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
    clock.end();
    await writeJobPhases(plan.dir, clock);
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
    backbone: `${backbone.name} ${backbone.inputSize}px${backbone.layers ? ` ${backbone.layers.join('+')}` : ''} (${backbone.weights})`,
    sideInfo: experiment.sideInfoDescription,
    rows,
  };
  Object.assign(summary, {
    phases: clock.phases(),
    totalSeconds: clock.elapsed(),
    peakRssMiB: peakRssMiB(),
  } satisfies RunTiming);
  await writeSummary(options.out, summary, split);
  io.log(`\n${summaryTable(summary)}\n\nreports in ${options.out}`);
  return summary;
}
