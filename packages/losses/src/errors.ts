/**
 * Thrown when a loss is built with an unknown name or option, or called with a context that lacks
 * what it needs; the message names the loss, the option or context field, and what was expected.
 */
export class LossError extends Error {
  override name = 'LossError';
}
