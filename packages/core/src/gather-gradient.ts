import { isGradientReplaced, replaceGradient } from './replace-gradient.js';
import { tf } from './tf.js';

/**
 * `sum` of the rows of `values` (`[k, ...rest]`) into `n` segments by `segments` (int32 `[k]`):
 * `out[s] = sum of values[i] where segments[i] = s`, as `oneHot(segments)^T @ values`, which every
 * backend can run and differentiate.
 */
function segmentSum(values: tf.Tensor, segments: tf.Tensor, n: number): tf.Tensor {
  const [k, ...rest] = values.shape as number[];
  const inner = rest.reduce((a, b) => a * b, 1);
  const oneHot = tf.cast(tf.oneHot(tf.reshape(segments, [k!]) as tf.Tensor1D, n), 'float32');
  const summed = tf.matMul(tf.transpose(oneHot), tf.reshape(values, [k!, inner]));
  return tf.reshape(summed, [n, ...rest]);
}

/** The gradient of `gather(x, indices, axis)` with respect to `x`, for one batch. */
function gatherXGradient(x: tf.Tensor, indices: tf.Tensor, dy: tf.Tensor, axis: number): tf.Tensor {
  const shape = x.shape;
  const outer = shape.slice(0, axis);
  const inner = shape.slice(axis + 1);
  const values = tf.reshape(dy, [...outer, indices.size, ...inner]);
  // Bring the gathered axis to the front, sum into segments, and put it back.
  const perm = [
    outer.length,
    ...outer.map((_, i) => i),
    ...inner.map((_, i) => outer.length + 1 + i),
  ];
  const undo = perm.map((_, i) => perm.indexOf(i));
  const summed = segmentSum(
    tf.transpose(values, perm),
    tf.reshape(indices, [indices.size]),
    shape[axis]!,
  );
  return tf.transpose(summed, undo);
}

/**
 * The `GatherV2` gradient with its segment sum written as a one-hot matrix product. TensorFlow.js's
 * own gradient calls `UnsortedSegmentSum`, a kernel the WASM backend (4.22) does not have, so any
 * loss that gathers rows (class prototypes by label, say) fails during backprop there. Same maths
 * as the stock gradient, including `batchDims = 1`.
 */
export const gatherGradConfig: tf.GradConfig = {
  kernelName: 'GatherV2',
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved, attrs) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const g = Array.isArray(dy) ? dy[0]! : dy;
    const { axis, batchDims } = attrs as { axis: number; batchDims: number };
    const parsedAxis = axis < 0 ? axis + x.rank : axis;
    if (batchDims === 1) {
      const n = x.shape[0]!;
      return {
        x: () =>
          tf.stack(
            Array.from({ length: n }, (_, i) =>
              gatherXGradient(
                tf.squeeze(tf.slice(x, i, 1), [0]),
                tf.squeeze(tf.slice(indices, i, 1), [0]),
                tf.squeeze(tf.slice(g, i, 1), [0]),
                parsedAxis - 1,
              ),
            ),
          ),
        indices: () => indices,
      };
    }
    return { x: () => gatherXGradient(x, indices, g, parsedAxis), indices: () => indices };
  },
};

/**
 * Registers {@link gatherGradConfig} in place of TensorFlow.js's `GatherV2` gradient. Idempotent.
 * `initBackend` calls it for the WASM backend.
 *
 * @returns true when this call installed it, false when it was already installed.
 */
export function installGatherGradient(): boolean {
  return replaceGradient(gatherGradConfig);
}

/** Whether {@link installGatherGradient} has run in this process. */
export function isGatherGradientInstalled(): boolean {
  return isGradientReplaced('GatherV2');
}
