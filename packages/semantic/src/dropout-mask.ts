import { type Rng, tf } from '@zs-sbir/core';

/**
 * Inverted dropout's mask for a `[rows, cols]` activation: each entry is `0` with probability
 * `rate`, otherwise `1 / (1 - rate)`, so the expected activation is unchanged (Srivastava et al.,
 * JMLR 2014). Drawn from `rng` in plain JS, so a training step is reproducible from its seed on
 * every backend.
 *
 * Each 32-bit draw of `rng` decides two entries, one per 16-bit half (an entry is kept when its
 * half is below `round((1 - rate) * 65536)`), which halves the cost of large masks; the keep
 * probability is therefore `rate` rounded to a multiple of 2^-16.
 */
export function dropoutMask(rows: number, cols: number, rate: number, rng: Rng): tf.Tensor2D {
  return tf.tensor2d(dropoutMaskValues(rows, cols, rate, rng), [rows, cols]);
}

/**
 * The values of {@link dropoutMask} (row-major `[rows, cols]`), for engines that do not run on
 * TensorFlow.js; the same draws from `rng` give the same mask.
 */
export function dropoutMaskValues(
  rows: number,
  cols: number,
  rate: number,
  rng: Rng,
): Float32Array {
  const keep = 1 - rate;
  const scale = 1 / keep;
  const threshold = Math.round(keep * 65536);
  const n = rows * cols;
  const mask = new Float32Array(n);
  const draws = rng.uint32s(Math.ceil(n / 2));
  for (let i = 0; i < n; i += 2) {
    const bits = draws[i >> 1]!;
    mask[i] = (bits & 0xffff) < threshold ? scale : 0;
    if (i + 1 < n) mask[i + 1] = bits >>> 16 < threshold ? scale : 0;
  }
  return mask;
}
