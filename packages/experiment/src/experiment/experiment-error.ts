/** Thrown for an option or input the apps cannot use; the message names it and what was expected. */
export class ExperimentError extends Error {
  override name = 'ExperimentError';
}
