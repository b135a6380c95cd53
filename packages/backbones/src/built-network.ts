import type { tf } from '@zs-sbir/core';
import type { TorchWeightMap } from './torch-weights.js';

/** A network built from its architecture, and how PyTorch weights map onto it. */
export interface BuiltNetwork {
  /** `[batch, size, size, 3]` (NHWC, normalised) to `[batch, outputDim]`. */
  model: tf.LayersModel;
  torch: TorchWeightMap;
}
