import { type ActivationName, tf } from '@zs-sbir/core';
import { CriticError } from './errors.js';

/**
 * The derivative `act'(z)` of one of core's activations, written with ops whose own gradients are
 * exact, so it can be differentiated once more by TensorFlow.js's autodiff:
 * - `relu`: `step(z)`; `leaky-relu`: `slope + (1 - slope) step(z)` (`step` has zero gradient,
 *   matching the zero second derivative away from the kink);
 * - `softplus`: `sigmoid(z)` (whose first-order gradient in TensorFlow.js is right);
 * - `linear`: 1.
 */
export function activationDerivative(
  name: ActivationName,
  slope: number,
): (z: tf.Tensor) => tf.Tensor {
  switch (name) {
    case 'relu':
      return (z) => tf.step(z);
    case 'leaky-relu':
      return (z) => tf.add(slope, tf.mul(1 - slope, tf.step(z)));
    case 'softplus':
      return (z) => tf.sigmoid(z);
    case 'linear':
      return (z) => tf.onesLike(z);
    default:
      throw new CriticError(`activationDerivative: no derivative for activation '${String(name)}'`);
  }
}
