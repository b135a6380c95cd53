import type { BackendName } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type { TfjsBackboneOptions } from './load-backbone-options.js';

/** `workerData` of a backbone worker thread. */
export interface WorkerSetup {
  spec: TfjsBackboneOptions;
  backend: BackendName;
}

/** What the main thread asks a worker. */
export interface WorkerRequest {
  type: 'embed';
  id: number;
  data: Float32Array;
  count: number;
}

/** The facts a worker reports once its backbone is loaded. */
export interface WorkerInfo {
  name: string;
  inputSize: number;
  outputDim: number;
  normalisation: Normalisation;
  weights: string;
  layers?: readonly string[];
  layerDims?: readonly number[];
}

/** What a worker answers. */
export type WorkerReply =
  | { type: 'ready'; info: WorkerInfo }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; features: Float32Array }
  | { type: 'error'; id: number; message: string };
