import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';

/** One child process to run: a label for its output lines and its arguments. */
export interface Job {
  label: string;
  args: string[];
}

/**
 * Runs `node script ...args` for each job, `concurrency` at a time (p-limit), prefixing every
 * line a job prints with its label. Each job is its own process with its own TensorFlow.js
 * backend, so single-threaded backends (WASM) use every core across jobs. Once `signal` is
 * aborted (Ctrl-C, which the running jobs receive too) no further job starts.
 *
 * @returns the labels of the jobs that failed (non-zero exit) or never started, in job order.
 */
export async function runJobs(
  script: string,
  jobs: Job[],
  concurrency: number,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const run = async (job: Job): Promise<boolean> => {
    if (signal?.aborted) return false;
    const child = spawn(process.execPath, [script, ...job.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => log(`[${job.label}] ${line}`));
    }
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return code === 0;
  };
  const ok = await Promise.all(jobs.map((job) => limit(() => run(job))));
  return jobs.filter((_, i) => !ok[i]).map((j) => j.label);
}
