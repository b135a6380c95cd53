/**
 * A row-major float32 matrix `[rows, cols]`: embeddings or features, one row per sketch or
 * image; element `(r, c)` is `data[r * cols + c]`.
 */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Features of a set of samples: one row per sample, with its class label and source path. */
export interface FeatureSet extends Matrix {
  /** `[rows]` class index of each row. */
  labels: Int32Array;
  /** `[rows]` file (or identifier) each row came from, when known. */
  paths?: string[];
}
