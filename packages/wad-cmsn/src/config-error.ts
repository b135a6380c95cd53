/** Thrown for a config key or value the recipe cannot use; the message names it and the valid choices. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
