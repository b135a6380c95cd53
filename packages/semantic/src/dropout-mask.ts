import { type Rng, tf } from '@zs-sbir/core';

/**
 * Inverted dropout's mask for a `[rows, cols]` activation: each entry is `0` with probability
 * `rate`, otherwise `1 / (1 - rate)`, so the expected activation is unchanged (Srivastava et al.,
 * JMLR 2014). Drawn from `rng` in plain JS, so a training step is reproducible from its seed on
 * every backend.
 */
export function dropoutMask(rows: number, cols: number, rate: number, rng: Rng): tf.Tensor2D {
  const keep = 1 - rate;
  const scale = 1 / keep;
  return tf.tensor2d(
    rng.fill(rows * cols, () => (rng.next() < keep ? scale : 0)),
    [rows, cols],
  );
}
