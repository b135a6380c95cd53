import type { Ops } from '@zs-sbir/core';

/**
 * Mean softmax cross-entropy `mean_i -log softmax(logits_i)[y_i]` of logits `[n, classes]` and
 * labels `[n]`.
 */
export function softmaxCrossEntropy<T>(ops: Ops<T>, logits: T, labels: T): T {
  const target = ops.oneHot(labels, ops.shape(logits)[1]!);
  return ops.neg(ops.mean(ops.sum(ops.mul(target, ops.logSoftmax(logits)), 1)));
}
