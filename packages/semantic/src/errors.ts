/**
 * Thrown when a module of `@zs-sbir/semantic` is built or called with something it cannot use: an
 * unknown option, a bad dimension, an input of the wrong shape, weights of the wrong size. The
 * message names the module and the option, and says what was expected.
 */
export class SemanticError extends Error {
  override name = 'SemanticError';
}
