import type { Rng, tf } from '@zs-sbir/core';

/** Options of {@link SemanticModule.apply}. */
export interface ApplyOptions {
  /** Training mode: dropout is active. Default false (inference: dropout off). */
  training?: boolean;
  /**
   * Draws the dropout masks instead of the module's own stream, so a caller that checkpoints its
   * generator (a training loop) can resume with the same masks. Default: the module's stream.
   */
  rng?: Rng;
}

/**
 * What every network of this package (and the critic built on {@link createMlp}) offers: a
 * forward pass, its variables for an optimiser, weights as plain arrays for checkpoints, and a
 * JSON config from which {@link moduleFromConfig} rebuilds it.
 */
export interface SemanticModule<C = unknown> {
  /** JSON-serialisable; enough to rebuild the module (weights aside). */
  readonly config: C;
  /** Every trainable variable, ordered `[W1, b1, W2, b2, ..., Wout, bout]`, each `W` `[in, out]`. */
  readonly trainableVariables: tf.Variable[];
  /** Forward pass, `[batch, inputDim]` -> `[batch, outputDim]`. The caller owns the result. */
  apply(x: tf.Tensor2D, options?: ApplyOptions): tf.Tensor2D;
  /** Copies of the weights, in the order of {@link SemanticModule.trainableVariables}. */
  getWeights(): Float32Array[];
  /** Overwrites the weights; the arrays must match {@link SemanticModule.getWeights} in count and size. */
  setWeights(weights: readonly Float32Array[]): void;
  /** Frees the variables. */
  dispose(): void;
}
