/** Thrown when training cannot go on (a loss that became NaN or infinite, data that does not fit). */
export class TrainingError extends Error {
  override name = 'TrainingError';
}

/** Thrown for a checkpoint that is missing, incomplete or does not match the model. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}
