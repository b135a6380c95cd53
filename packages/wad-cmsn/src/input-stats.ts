import type { Matrix } from '@zs-sbir/io';
import type { InputNormalisation } from './config.js';

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
 * The statistics a config's `inputNormalisation` asks for: `zscore` and `zscore-l2` (mean and
 * standard deviation of the training features), `centre` and `centre-l2` (mean only) or `none`
 * (identity). Pass the training (seen-class) features of one modality only: the model subtracts
 * these from that modality's inputs wherever it embeds (training, validation, test, search).
 */
export function normalisationStats(mode: InputNormalisation, features: Matrix): FeatureStats {
  if (mode === 'none') return identityStats(features.cols);
  const stats = featureStats(features);
  if (mode.startsWith('centre')) stats.std.fill(1);
  return stats;
}

/** Whether a normalisation scales each standardised row to unit L2 norm (the `-l2` forms). */
export const unitRows = (mode: InputNormalisation): boolean => mode.endsWith('-l2');
