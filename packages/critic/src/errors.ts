/**
 * Thrown when a critic, discriminator, gradient penalty or critic step of `@zs-sbir/critic` gets
 * something it cannot use; the message names the function and option and what was expected.
 */
export class CriticError extends Error {
  override name = 'CriticError';
}
