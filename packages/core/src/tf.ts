/**
 * The one TensorFlow.js instance every `@zs-sbir/*` package uses.
 *
 * Import `tf` from `@zs-sbir/core`, never from `@tensorflow/*`, so that one engine, one kernel
 * registry and one backend exist per process.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;
