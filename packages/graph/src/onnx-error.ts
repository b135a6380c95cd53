/** A graph that cannot be built or run, or a model the ONNX engine does not support. */
export class OnnxError extends Error {
  override name = 'OnnxError';
}
