/**
 * Worker-thread entry of {@link loadWorkerBackbone}: builds its own TensorFlow.js backend and its
 * own copy of the backbone from the options it is given, then embeds the batches it receives.
 * Built as a separate file (`dist/backbone-worker.js`); not part of the public API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '@zs-sbir/core';
import type { Backbone } from './backbone.js';
import { loadBackbone } from './load-backbone.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol.js';

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

async function main(): Promise<void> {
  const { spec, backend } = workerData as WorkerSetup;
  let backbone: Backbone;
  try {
    await initBackend({ backend });
    backbone = await loadBackbone(spec);
  } catch (err) {
    reply({ type: 'failed', message: (err as Error).message });
    return;
  }
  const { name, inputSize, outputDim, normalisation, weights, layers, layerDims } = backbone;
  const info = { name, inputSize, outputDim, normalisation, weights };
  const read = layers && layerDims ? { layers: [...layers], layerDims: [...layerDims] } : {};
  reply({ type: 'ready', info: { ...info, ...read } });
  parentPort!.on('message', async (request: WorkerRequest) => {
    try {
      const features = await backbone.embedData(request.data, request.count);
      reply({ type: 'result', id: request.id, features }, [features.buffer as ArrayBuffer]);
    } catch (err) {
      reply({ type: 'error', id: request.id, message: (err as Error).message });
    }
  });
}

void main();
