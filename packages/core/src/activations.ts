import { tf } from './tf.js';

/**
 * Activations whose gradients are themselves differentiable with the right second-order terms,
 * so they are safe inside a gradient penalty (`tf.grad` nested in `tf.variableGrads`).
 *
 * TensorFlow.js's own `tanh`, `sigmoid` and `gelu` gradients reuse the saved output and drop the
 * second-order term: a gradient penalty through them is silently wrong (facts.md: relative error
 * 0.91 for tanh). `tf.leakyRelu`, `tf.elu`, `tf.selu` and `tf.maximum` have no second-order
 * gradient at all. Use only the functions below in critics.
 */
export type ActivationName = 'relu' | 'leaky-relu' | 'softplus' | 'linear';

/** The activation names {@link activation} accepts. */
export const ACTIVATION_NAMES: readonly ActivationName[] = [
  'relu',
  'leaky-relu',
  'softplus',
  'linear',
];

/** ReLU, `max(t, 0)`; its gradient `dy * step(t)` is differentiable (zero second derivative). */
export function relu<T extends tf.Tensor>(t: T): T {
  return tf.relu(t);
}

/**
 * Leaky ReLU written as `relu(t) - slope * relu(-t)`, which has an exact second-order gradient
 * (unlike `tf.leakyRelu`).
 *
 * @param slope - the negative-side slope; default 0.2.
 */
export function leakyRelu<T extends tf.Tensor>(t: T, slope = 0.2): T {
  return tf.tidy(() => tf.sub(tf.relu(t), tf.mul(slope, tf.relu(tf.neg(t)))) as T);
}

/** Softplus, `log(1 + exp(t))`; smooth, with exact second derivative `sigmoid'(t)`. */
export function softplus<T extends tf.Tensor>(t: T): T {
  return tf.softplus(t);
}

/** Options of {@link activation}. */
export interface ActivationOptions {
  /** Negative-side slope of `leaky-relu`; default 0.2. */
  slope?: number;
}

/**
 * Returns the named double-backprop-safe activation as a function of a tensor.
 *
 * @throws Error naming the valid activations when `name` is not one of them.
 */
export function activation(
  name: ActivationName,
  options: ActivationOptions = {},
): <T extends tf.Tensor>(t: T) => T {
  switch (name) {
    case 'relu':
      return relu;
    case 'leaky-relu': {
      const slope = options.slope ?? 0.2;
      return (t) => leakyRelu(t, slope);
    }
    case 'softplus':
      return softplus;
    case 'linear':
      return (t) => t;
    default:
      throw new Error(
        `Unknown activation '${String(name)}': expected one of ${ACTIVATION_NAMES.join(', ')}`,
      );
  }
}
