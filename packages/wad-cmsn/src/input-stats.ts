import type { Matrix } from '@zs-sbir/io';

/** Per-dimension statistics of one modality's training features, `[dim]` each. */
export interface FeatureStats {
  mean: Float32Array;
  /** Standard deviation, floored at `1e-6` so constant dimensions do not divide by zero. */
  std: Float32Array;
}

/**
 * Mean and standard deviation of each column of `features` (`[rows, dim]`), computed in float64.
 * The recipe standardises each modality with its own training-class statistics; the same
 * statistics are applied to validation and test features, so nothing is learned from them.
 */
export function featureStats(features: Matrix): FeatureStats {
  const { data, rows, cols } = features;
  const sum = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = data[o + c]!;
      sum[c]! += v;
      sq[c]! += v * v;
    }
  }
  const mean = new Float32Array(cols);
  const std = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    const m = sum[c]! / Math.max(1, rows);
    mean[c] = m;
    std[c] = Math.max(1e-6, Math.sqrt(Math.max(0, sq[c]! / Math.max(1, rows) - m * m)));
  }
  return { mean, std };
}

/** Identity statistics (no standardisation) for `dim` columns. */
export function identityStats(dim: number): FeatureStats {
  return { mean: new Float32Array(dim), std: new Float32Array(dim).fill(1) };
}

/**
 * The statistics a config's `inputNormalisation` asks for: `zscore` (mean and standard deviation
 * of the training features), `centre` (mean only) or `none` (identity).
 */
export function normalisationStats(
  mode: 'zscore' | 'centre' | 'none',
  features: Matrix,
): FeatureStats {
  if (mode === 'none') return identityStats(features.cols);
  const stats = featureStats(features);
  if (mode === 'centre') stats.std.fill(1);
  return stats;
}
