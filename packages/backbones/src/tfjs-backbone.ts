import { tf } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type { TfjsBackbone } from './backbone.js';
import { checkBatchData, checkBatchShape } from './check-batch.js';
import { FrozenGraph } from './frozen-graph.js';
import type { LoadBackboneOptions } from './load-backbone-options.js';

/** What {@link createTfjsBackbone} wraps around a model. */
export interface TfjsBackboneInit {
  name: string;
  /** `[batch, inputSize, inputSize, 3]` to `[batch, outputDim]`. */
  model: tf.LayersModel;
  normalisation: Normalisation;
  weights: string;
  /** The layers the features are read from (see {@link Backbone.layers}). */
  layers?: readonly string[];
  /** The length of each layer's feature (see {@link Backbone.layerDims}). */
  layerDims?: readonly number[];
  spec: LoadBackboneOptions | undefined;
}

/**
 * Wraps a TensorFlow.js layers model as a {@link TfjsBackbone} (input size and output dimension
 * read from the model). Embedding runs a {@link FrozenGraph} compiled from the model at the first
 * call: inference mode (dropout off, batch norm on running statistics folded into the
 * convolutions).
 */
export function createTfjsBackbone(init: TfjsBackboneInit): TfjsBackbone {
  const { model, name } = init;
  const inputSize = model.inputs[0]!.shape[1] as number;
  const outputDim = model.outputs[0]!.shape[1] as number;
  let frozen: FrozenGraph | null = null;
  const forward = (batch: tf.Tensor4D): tf.Tensor2D => {
    frozen ??= new FrozenGraph(model);
    return frozen.predict(batch) as tf.Tensor2D;
  };
  return {
    name,
    engine: 'tfjs',
    parallelism: 1,
    inputSize,
    outputDim,
    normalisation: init.normalisation,
    weights: init.weights,
    ...(init.layers ? { layers: [...init.layers] } : {}),
    ...(init.layerDims ? { layerDims: [...init.layerDims] } : {}),
    spec: init.spec,
    model,
    async embed(batch) {
      checkBatchShape(name, inputSize, batch.shape);
      return forward(batch);
    },
    async embedData(data, count) {
      checkBatchData(name, inputSize, data, count);
      const out = tf.tidy(() => forward(tf.tensor4d(data, [count, inputSize, inputSize, 3])));
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    refresh() {
      frozen?.dispose();
      frozen = null;
    },
    async dispose() {
      frozen?.dispose();
      model.dispose();
    },
  };
}
