import { type Ops, tf, tfOps } from '@zs-sbir/core';

/** {@link gatherRows} on any engine's operations. */
export const gatherRowsOf = <T>(ops: Ops<T>, matrix: T, indices: T): T =>
  ops.matMul(ops.oneHot(indices, ops.shape(matrix)[0]!), matrix);

/**
 * Rows `indices` of `matrix`: `[n, d]` and int32 `[b]` -> `[b, d]`, computed as
 * `oneHot(indices, n) @ matrix` so its gradient is a plain matrix product.
 *
 * `tf.gather` would do, but its gradient needs the `UnsortedSegmentSum` kernel, which the WASM
 * backend of TensorFlow.js 4.22 lacks: any loss that gathers prototypes fails there during
 * backprop. Use this wherever a gradient must flow through the selected rows.
 */
export function gatherRows(matrix: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => gatherRowsOf(tfOps, matrix, indices) as tf.Tensor2D);
}
