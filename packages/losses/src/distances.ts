import { tf } from '@zs-sbir/core';

/** Rows scaled to unit L2 norm: `x / sqrt(sum x^2 + 1e-12)` (finite at zero rows). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))));
}

/** Cosine similarity of every row of `a` `[n, d]` with every row of `b` `[m, d]`: `[n, m]`. */
export function cosineSimilarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(l2Normalize(a), l2Normalize(b), false, true));
}

/** How embeddings are compared: Euclidean distance, or cosine distance `1 - cos`. */
export type Distance = 'euclidean' | 'cosine';

/** The names {@link Distance} accepts. */
export const DISTANCES: readonly Distance[] = ['euclidean', 'cosine'];

/**
 * Pairwise distances `[n, m]` between rows of `a` `[n, d]` and `b` `[m, d]`. Euclidean is
 * `sqrt(max(0, |a|^2 + |b|^2 - 2 a.b) + 1e-12)`, differentiable everywhere (1e-6 at zero).
 */
export function pairwiseDistance(a: tf.Tensor2D, b: tf.Tensor2D, distance: Distance): tf.Tensor2D {
  return tf.tidy((): tf.Tensor2D => {
    if (distance === 'cosine') return tf.sub(1, cosineSimilarity(a, b));
    const aa = tf.sum(tf.square(a), 1, true);
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    const squared = tf.sub(tf.add(aa, bb), tf.mul(2, tf.matMul(a, b, false, true)));
    return tf.sqrt(tf.add(tf.relu(squared), 1e-12)) as tf.Tensor2D;
  });
}
