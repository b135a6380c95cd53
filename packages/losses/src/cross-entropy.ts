import { tf } from '@zs-sbir/core';

/**
 * Mean softmax cross-entropy `mean_i -log softmax(logits_i)[y_i]` of logits `[n, classes]` and
 * int32 labels `[n]`.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const target = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}
