import {
  type OnProgress,
  phaseTable,
  readProbeGrid,
  runProbePipeline,
  runTrainPipeline,
  type Summary,
  type TrainedMethod,
} from '@zs-sbir/experiment';
import { runJobs } from './run-jobs.js';
import { compareJobArgs, parseTrainOptions } from './train-options.js';

/** How `zs-sbir-train` talks to its terminal. */
export interface TrainCommandIo {
  log: (line: string) => void;
  /** Progress of the data preparation and of training; default none. */
  onProgress?: OnProgress;
  /** True once the user asked to stop (Ctrl-C): training stops after the current epoch. */
  stopRequested: () => boolean;
  signal: AbortSignal;
  /** This command's script, which `--compare` starts again with `--method` for each job. */
  script: string;
  /**
   * How `--compare` trains its methods, given each method's job arguments; default a job of
   * `script` each (`--jobs` at once). Tests run them in this process.
   */
  runJobs?: (jobs: { label: TrainedMethod; args: string[] }[]) => Promise<string[]>;
}

/**
 * `zs-sbir-train ARGV`: parses the options and runs the train pipeline of `@zs-sbir/experiment`;
 * `--compare` trains its methods in parallel jobs of this same command (`--jobs` at once);
 * `--probe-features` trains nothing: it ranks features on the validation classes (probe.json).
 *
 * @returns the summary of `--compare` or of a single method's run; `null` when `--help` printed
 *   the help, a `--method` job finished, or the run was already finished.
 */
export async function runTrain(argv: string[], io: TrainCommandIo): Promise<Summary | null> {
  const options = parseTrainOptions(argv);
  if (!options) return null;
  if (options.probe) {
    const { grid, sketchesPerClass, imagesPerClass } = options.probe;
    await runProbePipeline(
      {
        dataset: options.dataset,
        ...(options.root ? { root: options.root } : {}),
        ...(options.split ? { split: options.split } : {}),
        ...(options.splitSeed !== undefined ? { splitSeed: options.splitSeed } : {}),
        cacheDir: options.cacheDir,
        out: options.out,
        ...(grid ? { candidates: await readProbeGrid(grid) } : {}),
        ...(sketchesPerClass ? { sketchesPerClass } : {}),
        ...(imagesPerClass ? { imagesPerClass } : {}),
      },
      {
        log: io.log,
        ...(io.onProgress ? { onProgress: io.onProgress } : {}),
        signal: io.signal,
      },
    );
    return null;
  }
  const summary = await runTrainPipeline(options, {
    log: io.log,
    ...(io.onProgress ? { onProgress: io.onProgress } : {}),
    stopRequested: io.stopRequested,
    signal: io.signal,
    trainInJobs: (methods) => {
      const jobs = methods.map((m) => ({ label: m, args: compareJobArgs(argv, options, m) }));
      if (io.runJobs) return io.runJobs(jobs);
      return runJobs(io.script, jobs, {
        concurrency: options.jobs,
        log: io.log,
        ...(io.onProgress ? { onProgress: io.onProgress } : {}),
        signal: io.signal,
      });
    },
  });
  // Where the time went, after the results (only a run that did the work has phases).
  if (summary?.phases && summary.totalSeconds !== undefined && summary.peakRssMiB !== undefined) {
    io.log(
      `\nwhere the time went:\n${phaseTable({ phases: summary.phases, totalSeconds: summary.totalSeconds, peakRssMiB: summary.peakRssMiB })}`,
    );
  }
  return summary;
}
