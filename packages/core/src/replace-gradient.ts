import { tf } from './tf.js';

const replaced = new Set<string>();

/**
 * Registers `config` in place of TensorFlow.js's gradient for its kernel, once per kernel and
 * process (gradients are global, shared by every backend).
 *
 * @returns true when this call replaced it, false when it was already replaced.
 */
export function replaceGradient(config: tf.GradConfig): boolean {
  if (replaced.has(config.kernelName)) return false;
  const env = tf.env();
  const prod = env.getBool('PROD');
  // TensorFlow.js warns when a gradient is overridden; a library must not print, so the
  // warning is silenced for this one call.
  env.set('PROD', true);
  try {
    tf.registerGradient(config);
  } finally {
    env.set('PROD', prod);
  }
  replaced.add(config.kernelName);
  return true;
}

/** Whether {@link replaceGradient} has replaced the gradient of `kernelName` in this process. */
export function isGradientReplaced(kernelName: string): boolean {
  return replaced.has(kernelName);
}
