import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  BACKEND_NAMES,
  type BackendName,
  integerSchema,
  oneOfSchema,
  tf,
  validate,
} from '@zs-sbir/core';
import * as v from 'valibot';
import type { Backbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import { checkBatchData, checkBatchShape } from './check-batch.js';
import { checkBackboneOptions, type TfjsBackboneOptions } from './load-backbone-options.js';
import type { WorkerInfo, WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol.js';

/** Options of {@link loadWorkerBackbone}. */
export interface WorkerBackboneOptions {
  /** Worker threads, each with its own backend and copy of the network; default: CPU cores. */
  workers?: number;
  /** TensorFlow.js backend in each worker; default `wasm` (single-threaded in Node, hence workers). */
  backend?: BackendName;
  /** The worker entry; default `backbone-worker.js` of the built package. */
  workerUrl?: URL;
}

const OPTIONS = v.strictObject({
  workers: v.optional(integerSchema()),
  backend: v.optional(oneOfSchema(BACKEND_NAMES)),
  workerUrl: v.optional(v.instance(URL)),
});

/** The built worker entry: beside this module in `dist/`, or in `dist/` when run from `src/`. */
function defaultWorkerUrl(): URL {
  const candidates = [
    new URL('./backbone-worker.js', import.meta.url),
    new URL('../dist/backbone-worker.js', import.meta.url),
  ];
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (!found) {
    throw new BackboneError(
      `the worker entry backbone-worker.js is missing (looked at ${candidates.map((u) => fileURLToPath(u)).join(', ')}): build @zs-sbir/backbones first (npm run build)`,
    );
  }
  return found;
}

interface Job {
  data: Float32Array;
  count: number;
  resolve: (features: Float32Array) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Job | null;
  /** Set when the thread died: it gets no more work. */
  dead: string | null;
}

/** A started worker; `takeEarlyError` hands over an error it raised before the pool listened. */
interface StartedWorker {
  worker: Worker;
  info: WorkerInfo;
  takeEarlyError: () => string | null;
}

function startWorker(url: URL, setup: WorkerSetup): Promise<StartedWorker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: setup });
    const fail = (message: string) => {
      void worker.terminate();
      reject(new BackboneError(`backbone worker (${setup.spec.name}) failed to start: ${message}`));
    };
    worker.once('error', (err) => fail(err.message));
    worker.once('message', (message: WorkerReply) => {
      worker.removeAllListeners('error');
      if (message.type !== 'ready') {
        fail(message.type === 'failed' ? message.message : `unexpected reply ${message.type}`);
        return;
      }
      // Until the pool attaches its own listeners (once every worker is ready), an error here
      // must neither crash the process (an 'error' event without listener) nor be lost.
      let early: string | null = null;
      const hold = (err: Error) => {
        early ??= err.message;
      };
      worker.on('error', hold);
      resolve({
        worker,
        info: message.info,
        takeEarlyError: () => {
          worker.off('error', hold);
          return early;
        },
      });
    });
  });
}

/**
 * A TensorFlow.js backbone run in worker threads: each worker holds its own backend (WASM by
 * default, single-threaded in Node) and its own copy of the network, and embeds whole batches;
 * {@link Backbone.embedData} calls made while others run go to idle workers, so `workers`
 * batches in flight use `workers` cores. Call {@link Backbone.dispose} to stop the threads.
 *
 * @param spec - the options {@link loadBackbone} gets in each worker.
 * @throws {BackboneError} when the worker entry is missing or a worker cannot load the network.
 */
export async function loadWorkerBackbone(
  spec: TfjsBackboneOptions,
  options: WorkerBackboneOptions = {},
): Promise<Backbone> {
  checkBackboneOptions(spec);
  validate(OPTIONS, options, { where: 'loadWorkerBackbone', error: BackboneError });
  const count = options.workers ?? cpus().length;
  const url = options.workerUrl ?? defaultWorkerUrl();
  const setup: WorkerSetup = { spec, backend: options.backend ?? 'wasm' };
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startWorker(url, setup)),
  );
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) {
    await Promise.all(
      started.map((s) => (s.status === 'fulfilled' ? s.value.worker.terminate() : null)),
    );
    throw failure.reason;
  }
  const ready = started.map((s) => (s as PromiseFulfilledResult<StartedWorker>).value);
  const info = ready[0]!.info;
  const slots: Slot[] = ready.map(({ worker }) => ({ worker, busy: null, dead: null }));
  const earlyErrors = ready.map((r) => r.takeEarlyError);
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

  const dispatch = () => {
    const alive = slots.filter((slot) => !slot.dead);
    if (!alive.length) {
      const why = slots.map((slot) => slot.dead).join('; ');
      for (const job of queue.splice(0))
        job.reject(new BackboneError(`every backbone worker died: ${why}`));
      return;
    }
    for (const slot of alive) {
      if (slot.busy || !queue.length) continue;
      const job = queue.shift()!;
      slot.busy = job;
      const request: WorkerRequest = {
        type: 'embed',
        id: nextId++,
        data: job.data,
        count: job.count,
      };
      slot.worker.postMessage(request);
    }
  };
  for (const slot of slots) {
    slot.worker.on('message', (message: WorkerReply) => {
      const job = slot.busy;
      slot.busy = null;
      if (job && message.type === 'result') job.resolve(message.features);
      else if (job && message.type === 'error') job.reject(new BackboneError(message.message));
      dispatch();
    });
    const die = (why: string) => {
      if (closed || slot.dead) return;
      slot.dead = why;
      slot.busy?.reject(new BackboneError(`backbone worker crashed: ${why}`));
      slot.busy = null;
      dispatch();
    };
    slot.worker.on('error', (err) => die(err.message));
    slot.worker.on('exit', (code) => die(`exited with code ${code}`));
  }
  slots.forEach((slot, i) => {
    const early = earlyErrors[i]!();
    if (early) {
      slot.dead = early;
      void slot.worker.terminate();
    }
  });

  const embedData = (data: Float32Array, n: number): Promise<Float32Array> => {
    if (closed)
      return Promise.reject(new BackboneError(`${info.name}: the worker backbone is disposed`));
    checkBatchData(info.name, info.inputSize, data, n);
    return new Promise((resolve, reject) => {
      queue.push({ data, count: n, resolve, reject });
      dispatch();
    });
  };

  return {
    ...info,
    engine: 'tfjs',
    parallelism: count,
    spec,
    embedData,
    async embed(batch) {
      checkBatchShape(info.name, info.inputSize, batch.shape);
      const n = batch.shape[0];
      const features = await embedData((await batch.data()) as Float32Array, n);
      return tf.tensor2d(features, [n, info.outputDim]);
    },
    async dispose() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new BackboneError(`${info.name}: disposed`));
      for (const slot of slots) {
        slot.busy?.reject(new BackboneError(`${info.name}: disposed`));
        slot.busy = null;
      }
      // Each thread's backend and weights go with it.
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
