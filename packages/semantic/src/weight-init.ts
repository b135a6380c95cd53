import type { Rng } from '@zs-sbir/core';

/**
 * How dense-layer weights are drawn:
 * - `glorot-uniform`: `U(-l, l)`, `l = sqrt(6 / (fanIn + fanOut))` (Glorot & Bengio, AISTATS 2010);
 * - `he-uniform`: `U(-l, l)`, `l = sqrt(6 / fanIn)` (He et al., ICCV 2015), for ReLU layers.
 *
 * Biases start at zero.
 */
export type WeightInit = 'glorot-uniform' | 'he-uniform';

/** The names {@link WeightInit} accepts. */
export const WEIGHT_INITS: readonly WeightInit[] = ['glorot-uniform', 'he-uniform'];

/**
 * Draws a `[fanIn, fanOut]` weight matrix (row-major) from `rng`. Drawn in plain JS, so the same
 * seed gives bit-identical weights on every backend.
 */
export function initWeights(
  init: WeightInit,
  fanIn: number,
  fanOut: number,
  rng: Rng,
): Float32Array {
  const limit = init === 'he-uniform' ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
  return rng.fill(fanIn * fanOut, () => rng.uniform(-limit, limit));
}
