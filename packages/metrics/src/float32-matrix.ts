/**
 * A row-major float32 matrix `[rows, cols]`: embeddings, one row per sketch or image. The same
 * shape as `Matrix` in `@zs-sbir/core`, so core's `FeatureSet` can be passed as is.
 */
export interface Float32Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}
