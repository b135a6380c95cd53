import { tf } from '@zs-sbir/core';

/**
 * Rows `indices` of `matrix`: `[n, d]` and int32 `[b]` -> `[b, d]`, computed as
 * `oneHot(indices, n) @ matrix` so its gradient is a plain matrix product.
 *
 * `tf.gather` would do, but its gradient needs the `UnsortedSegmentSum` kernel, which the WASM
 * backend of TensorFlow.js 4.22 lacks: any loss that gathers prototypes fails there during
 * backprop. Use this wherever a gradient must flow through the selected rows.
 */
export function gatherRows(matrix: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.cast(tf.oneHot(indices, matrix.shape[0]), 'float32'), matrix));
}
