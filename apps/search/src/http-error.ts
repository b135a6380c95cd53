/** An error a request handler answers with: its HTTP status and a message for the client. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    /** The HTTP status code (400, 404, 405, 413, ...). */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
