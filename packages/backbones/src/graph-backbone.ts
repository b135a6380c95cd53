import { tf } from '@zs-sbir/core';
import type { Normalisation } from '@zs-sbir/data';
import type { TfjsGraphBackbone } from './backbone.js';
import { checkBatchData, checkBatchShape } from './check-batch.js';
import type { GraphFeatureModel } from './graph-feature-model.js';
import type { LoadBackboneOptions } from './load-backbone-options.js';

/** What {@link createGraphBackbone} wraps around a graph feature model. */
export interface GraphBackboneInit {
  name: string;
  feature: GraphFeatureModel;
  /** The names the user gave (short node or scope names), reported as `layers`. */
  layers: readonly string[];
  normalisation: Normalisation;
  weights: string;
  spec: LoadBackboneOptions | undefined;
  /** Why `engine: 'auto'` fell back to TensorFlow.js, if it did. */
  fallback?: string;
}

/** Wraps a {@link GraphFeatureModel} as a frozen {@link TfjsGraphBackbone}. */
export function createGraphBackbone(init: GraphBackboneInit): TfjsGraphBackbone {
  const { name, feature } = init;
  const { inputSize, outputDim } = feature;
  return {
    name,
    engine: 'tfjs',
    parallelism: 1,
    inputSize,
    outputDim,
    normalisation: init.normalisation,
    weights: init.weights,
    layers: [...init.layers],
    layerDims: [...feature.layerDims],
    spec: init.spec,
    ...(init.fallback ? { fallback: init.fallback } : {}),
    graph: feature.model,
    async embed(batch) {
      checkBatchShape(name, inputSize, batch.shape);
      return feature.forward(batch);
    },
    async embedData(data, count) {
      checkBatchData(name, inputSize, data, count);
      const out = tf.tidy(() =>
        feature.forward(tf.tensor4d(data, [count, inputSize, inputSize, 3])),
      );
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    async dispose() {
      feature.model.dispose();
    },
  };
}
