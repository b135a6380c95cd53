import { activation, tf } from '@zs-sbir/core';
import { activationDerivative } from './activation-derivative.js';
import type { Critic } from './critic.js';

/**
 * How {@link inputGradient} computes `grad_u C(u)`:
 * - `analytic`: the MLP's backward pass written out (`g <- (g * act'(z_l)) W_l^T`, layer by layer),
 *   so the penalty's gradient w.r.t. the weights needs one level of autodiff, with about half the
 *   kernels of nested autodiff (what makes the critic step fast on WASM). Needs an MLP critic
 *   from `createCritic`.
 * - `autodiff`: `tf.grad` nested inside the caller's `tf.variableGrads` (double backprop); works
 *   for any per-sample critic built from core's activations.
 */
export type InputGradientMethod = 'analytic' | 'autodiff';

/** The names {@link InputGradientMethod} accepts. */
export const INPUT_GRADIENT_METHODS: readonly InputGradientMethod[] = ['analytic', 'autodiff'];

/** True when `critic` carries the MLP layout the analytic method needs. */
export function isMlpCritic(critic: Pick<Critic, 'apply'>): critic is Critic {
  const c = critic as Partial<Critic>;
  return Boolean(c.config?.activation && Array.isArray(c.trainableVariables));
}

/**
 * `grad_u C(u)` for every row of `u` `[batch, d]` -> `[batch, d]`, differentiable w.r.t. the
 * critic's weights. Rows are independent (the critic has no batch statistics), so the gradient
 * of `sum_i C(u_i)` is each row's own gradient.
 */
export function inputGradient(
  critic: Pick<Critic, 'apply'>,
  u: tf.Tensor2D,
  method: InputGradientMethod,
): tf.Tensor2D {
  if (method === 'autodiff' || !isMlpCritic(critic)) {
    return tf.grad((v: tf.Tensor) => tf.sum(critic.apply(v as tf.Tensor2D)))(u) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    const { activation: name, leakySlope } = critic.config;
    const act = activation(name, { slope: leakySlope });
    const dAct = activationDerivative(name, leakySlope);
    const vars = critic.trainableVariables;
    const layers = vars.length / 2;
    const pre: tf.Tensor[] = [];
    let h: tf.Tensor = u;
    for (let l = 0; l < layers - 1; l++) {
      const z = tf.add(tf.matMul(h, vars[2 * l]!), vars[2 * l + 1]!);
      pre.push(z);
      h = act(z);
    }
    // d C / d h_{L-1} is the output weight column, the same for every row: [1, h_{L-1}].
    let g: tf.Tensor = tf.reshape(vars[2 * (layers - 1)]!, [1, -1]);
    for (let l = layers - 2; l >= 0; l--) {
      g = tf.matMul(tf.mul(g, dAct(pre[l]!)), vars[2 * l]!, false, true);
    }
    return (layers === 1 ? tf.tile(g, [u.shape[0], 1]) : g) as tf.Tensor2D;
  });
}
