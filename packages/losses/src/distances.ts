import { type Ops, tf, tfOps } from '@zs-sbir/core';

/** {@link l2Normalize} on any engine's operations. */
export const l2NormalizeOf = <T>(ops: Ops<T>, x: T): T =>
  ops.div(x, ops.sqrt(ops.add(ops.sum(ops.square(x), 1, true), 1e-12)));

/** {@link cosineSimilarity} on any engine's operations. */
export const cosineSimilarityOf = <T>(ops: Ops<T>, a: T, b: T): T =>
  ops.matMul(l2NormalizeOf(ops, a), l2NormalizeOf(ops, b), false, true);

/** How embeddings are compared: Euclidean distance, or cosine distance `1 - cos`. */
export type Distance = 'euclidean' | 'cosine';

/** The names {@link Distance} accepts. */
export const DISTANCES: readonly Distance[] = ['euclidean', 'cosine'];

/** {@link pairwiseDistance} on any engine's operations. */
export function pairwiseDistanceOf<T>(ops: Ops<T>, a: T, b: T, distance: Distance): T {
  const forms: Record<Distance, () => T> = {
    cosine: () => ops.sub(1, cosineSimilarityOf(ops, a, b)),
    euclidean: () => {
      const aa = ops.sum(ops.square(a), 1, true);
      const bb = ops.reshape(ops.sum(ops.square(b), 1), [1, ops.shape(b)[0]!]);
      const squared = ops.sub(ops.add(aa, bb), ops.mul(2, ops.matMul(a, b, false, true)));
      return ops.sqrt(ops.add(ops.relu(squared), 1e-12));
    },
  };
  return forms[distance]();
}

/** Rows scaled to unit L2 norm: `x / sqrt(sum x^2 + 1e-12)` (finite at zero rows). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => l2NormalizeOf(tfOps, x) as tf.Tensor2D);
}

/** Cosine similarity of every row of `a` `[n, d]` with every row of `b` `[m, d]`: `[n, m]`. */
export function cosineSimilarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => cosineSimilarityOf(tfOps, a, b) as tf.Tensor2D);
}

/**
 * Pairwise distances `[n, m]` between rows of `a` `[n, d]` and `b` `[m, d]`. Euclidean is
 * `sqrt(max(0, |a|^2 + |b|^2 - 2 a.b) + 1e-12)`, differentiable everywhere (1e-6 at zero).
 */
export function pairwiseDistance(a: tf.Tensor2D, b: tf.Tensor2D, distance: Distance): tf.Tensor2D {
  return tf.tidy(() => pairwiseDistanceOf(tfOps, a, b, distance) as tf.Tensor2D);
}
