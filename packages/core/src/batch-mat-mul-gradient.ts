import { isGradientReplaced, replaceGradient } from './replace-gradient.js';
import { tf } from './tf.js';

/** Swaps the last two axes of a rank >= 2 tensor. */
function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const n = perm.length;
  perm[n - 2] = n - 1;
  perm[n - 1] = n - 2;
  return tf.transpose(t, perm);
}

/**
 * The `BatchMatMul` gradient written with explicit transposes and plain `matMul` calls, so no
 * `transposeA` / `transposeB` flag reaches the kernel.
 *
 * The WASM backend's `matMul` is about 13x slower with `transposeA` than transposing first
 * (facts.md: 734 ms vs 57 ms for 4096x64 by 64x1024), and TensorFlow.js's stock gradient uses
 * that flag for every weight gradient. The maths is the same as the stock gradient; every case
 * of the forward flags is covered. The ops used are differentiable, so double backprop works.
 */
export const batchMatMulGradConfig: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const g = Array.isArray(dy) ? dy[0]! : dy;
    const T = swapLastTwo;
    if (!transposeA && !transposeB) {
      return { a: () => tf.matMul(g, T(b)), b: () => tf.matMul(T(a), g) };
    }
    if (!transposeA && transposeB) {
      return { a: () => tf.matMul(g, b), b: () => tf.matMul(T(g), a) };
    }
    if (transposeA && !transposeB) {
      return { a: () => tf.matMul(b, T(g)), b: () => tf.matMul(a, g) };
    }
    return { a: () => tf.matMul(T(b), T(g)), b: () => tf.matMul(T(g), T(a)) };
  },
};

/**
 * Registers {@link batchMatMulGradConfig} in place of TensorFlow.js's `BatchMatMul` gradient.
 * Idempotent. `initBackend` calls it for the WASM backend unless told not to.
 *
 * @returns true when this call installed it, false when it was already installed.
 */
export function installBatchMatMulGradient(): boolean {
  return replaceGradient(batchMatMulGradConfig);
}

/** Whether {@link installBatchMatMulGradient} has run in this process. */
export function isBatchMatMulGradientInstalled(): boolean {
  return isGradientReplaced('BatchMatMul');
}
