import { Worker } from 'node:worker_threads';
import type { BlockConfig, BlockResult, BlockTask } from './evaluate-block.js';
import { MetricsError } from './metrics-error.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

/**
 * Runs `taskCount` blocks on `workers` threads started from `workerUrl`, one block in flight per
 * thread; `makeTask(i)` is called only when a thread is free, so at most `workers` blocks exist
 * at once. Each task's `rows` and `queryLabels` should own their buffers (posting a view copies
 * its whole buffer); nothing is transferred, so no ArrayBuffer is detached in any thread (which
 * would make V8 discard that thread's optimized code). Results arrive in completion order. Every
 * thread is terminated before returning.
 * `config` may be a function: it is then called once, after the threads have been started, so
 * that their start-up (loading this package's code in each thread) overlaps the caller's
 * set-up of the configuration (e.g. the gallery memory).
 * A thread pool rather than a general limiter: each thread keeps its gallery slot and scratch
 * memory across blocks, so a block goes to a free thread (not through p-limit).
 * @throws {MetricsError} (or the worker's error, by name and message) when a block fails.
 */
export async function runBlocksInWorkers(
  workerUrl: URL,
  workers: number,
  config: BlockConfig | (() => BlockConfig),
  maxCount: number,
  taskCount: number,
  makeTask: (index: number) => BlockTask,
  onResult: (result: BlockResult) => void,
): Promise<void> {
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let finished = 0;
      let failed = false;
      const fail = (err: Error) => {
        if (!failed) reject(err);
        failed = true;
      };
      const feed = (thread: Worker) => {
        if (next >= taskCount) return;
        const task = makeTask(next++);
        const request: WorkerRequest = { type: 'task', task };
        // Copied, not transferred: detaching an ArrayBuffer makes V8 drop the optimized code of
        // the whole thread (its detach protector), here the caller's own.
        thread.postMessage(request);
      };
      for (let w = 0; w < Math.min(workers, taskCount); w++) {
        const thread = new Worker(workerUrl);
        thread.on('error', fail);
        threads.push(thread);
      }
      let shared: BlockConfig;
      try {
        shared = typeof config === 'function' ? config() : config;
      } catch (err) {
        fail(err as Error);
        return;
      }
      for (const [w, thread] of threads.entries()) {
        thread.on('message', (reply: WorkerReply) => {
          if (failed) return;
          if (reply.type === 'error') {
            fail(
              reply.name === 'MetricsError'
                ? new MetricsError(reply.message)
                : new Error(reply.message),
            );
            return;
          }
          try {
            onResult(reply.result);
          } catch (err) {
            fail(err as Error);
            return;
          }
          finished++;
          if (finished === taskCount) resolve();
          else feed(thread);
        });
        const init: WorkerRequest = { type: 'init', config: shared, maxCount, slot: w };
        thread.postMessage(init);
        feed(thread);
      }
      if (taskCount === 0) resolve();
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
