import { tf } from '@zs-sbir/core';
import { expect } from 'vitest';

/**
 * Test helper: asserts that the gradient of `f` reaches every input in `inputs` (by name) with
 * finite values, not all zero. `f` receives the inputs as tensors in the same order.
 */
export function expectGradientFlow(
  inputs: Record<string, tf.Tensor>,
  f: (...xs: tf.Tensor[]) => tf.Scalar,
): void {
  const names = Object.keys(inputs);
  const grads = tf.grads((...xs: tf.Tensor[]) => f(...xs))(Object.values(inputs));
  names.forEach((name, i) => {
    const g = Array.from(grads[i]!.dataSync());
    expect({ name, finite: g.every(Number.isFinite) }).toEqual({ name, finite: true });
    expect({ name, nonZero: g.some((v) => v !== 0) }).toEqual({ name, nonZero: true });
  });
  tf.dispose(grads);
}

/** The value of a scalar tensor. */
export const scalarValue = (t: tf.Tensor): number => t.dataSync()[0]!;
