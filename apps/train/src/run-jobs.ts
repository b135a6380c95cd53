import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { OnProgress } from '@zs-sbir/experiment';
import pLimit from 'p-limit';
import { isJobProgress } from './job-progress.js';

/** One child process to run: a label for its output lines and its arguments. */
export interface Job {
  label: string;
  args: string[];
}

/** How {@link runJobs} runs its jobs and reports what they say. */
export interface RunJobsOptions {
  /** Jobs run at once (at least 1). */
  concurrency: number;
  /** Receives every line a job prints, prefixed with `[label] `. */
  log: (line: string) => void;
  /**
   * Receives the progress events a job sends over its IPC channel (see `parentProgress`), with
   * the task prefixed by `[label] `, so one multi-bar shows every running job; default: ignored.
   */
  onProgress?: OnProgress;
  /** Once aborted (Ctrl-C, which the running jobs receive too), no further job starts. */
  signal?: AbortSignal;
}

/**
 * Runs `node script ...args` for each job, `concurrency` at a time (p-limit). Each job is its
 * own process with its own TensorFlow.js backend, so single-threaded backends (WASM) use every
 * core across jobs.
 *
 * @returns the labels of the jobs that failed (non-zero exit) or never started, in job order.
 */
export async function runJobs(
  script: string,
  jobs: Job[],
  { concurrency, log, onProgress, signal }: RunJobsOptions,
): Promise<string[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const run = async (job: Job): Promise<boolean> => {
    if (signal?.aborted) return false;
    const child = spawn(process.execPath, [script, ...job.args], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => log(`[${job.label}] ${line}`));
    }
    child.on('message', (message) => {
      if (onProgress && isJobProgress(message)) {
        onProgress({ ...message.event, task: `[${job.label}] ${message.event.task}` });
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return code === 0;
  };
  const ok = await Promise.all(jobs.map((job) => limit(() => run(job))));
  return jobs.filter((_, i) => !ok[i]).map((j) => j.label);
}
