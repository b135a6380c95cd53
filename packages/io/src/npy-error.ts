/**
 * Thrown when a `.npy` file or buffer cannot be read or written: names the file (or `<bytes>`)
 * and says what was wrong and what was expected.
 */
export class NpyError extends Error {
  override name = 'NpyError';
  /** The file path, or `<bytes>` for in-memory buffers. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.source = source;
  }
}
