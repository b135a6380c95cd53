import type { Matrix } from '@zs-sbir/io';
import { type BinaryCodes, packSigns } from './binary-codes.js';
import { checkChoice, checkOptionNames } from './check-option-names.js';
import { MetricsError } from './metrics-error.js';
import { nearestRotation } from './nearest-rotation.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** A trained ITQ hash: centre, PCA projection and rotation. */
export interface ItqModel {
  /** Input dimension d. */
  dim: number;
  /** Code length. */
  bits: number;
  /** `[dim]` mean of the training features. */
  mean: Float64Array;
  /** `[dim, bits]` row-major: the top `bits` principal directions. */
  projection: Float64Array;
  /** `[bits, bits]` row-major orthogonal rotation learned by ITQ. */
  rotation: Float64Array;
}

/** Options of {@link trainItq}. */
export interface ItqOptions {
  /** Code length, at most the feature dimension; default 64 (SEM-PCYC's binary results). */
  bits?: number;
  /** Alternations of code update and rotation update; default 50 (as in SEM-PCYC). */
  iterations?: number;
  /** Seed of the random orthogonal starting rotation; default 0. */
  seed?: number;
  /** `[bits, bits]` starting rotation instead of a random one (for reproducing a reference run). */
  initialRotation?: Float64Array;
}

/** Options of {@link encodeItq}. */
export interface ItqEncodeOptions {
  /**
   * Which mean to subtract: `train` (default) the training mean, or `self` the mean of the
   * features being encoded, as SEM-PCYC's `compressITQ` centres sketches and images separately.
   */
  center?: 'train' | 'self';
}

function columnMeans(x: Matrix): Float64Array {
  const mean = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) mean[c]! += x.data[r * x.cols + c]!;
  }
  for (let c = 0; c < x.cols; c++) mean[c]! /= Math.max(x.rows, 1);
  return mean;
}

/** `[rows, bits]` = (x - mean) W: centred features projected on the principal directions. */
function project(x: Matrix, mean: Float64Array, w: Float64Array, bits: number): Float64Array {
  const out = new Float64Array(x.rows * bits);
  const row = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) row[c] = x.data[r * x.cols + c]! - mean[c]!;
    for (let c = 0; c < x.cols; c++) {
      const v = row[c]!;
      if (v === 0) continue;
      for (let b = 0; b < bits; b++) out[r * bits + b]! += v * w[c * bits + b]!;
    }
  }
  return out;
}

/** `[rows, n]` = a `[rows, n]` times r `[n, n]`. */
function times(a: Float64Array, rows: number, r: Float64Array, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < n; k++) {
      const v = a[i * n + k]!;
      for (let j = 0; j < n; j++) out[i * n + j]! += v * r[k * n + j]!;
    }
  }
  return out;
}

/** A random orthogonal `[n, n]` matrix from a seeded Gaussian matrix. */
function randomRotation(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 0x9e3779b9;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 2 ** 32;
  };
  const g = Float64Array.from(
    { length: n * n },
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
  return nearestRotation(g, n);
}

/**
 * Iterative quantization (Gong & Lazebnik, "Iterative Quantization: A Procrustes Approach to
 * Learning Binary Codes", CVPR 2011), the binary codes SEM-PCYC reports: centre the features,
 * project them on their top `bits` principal directions (PCA of the covariance, by Jacobi), then
 * alternate B = sign(V R) and R = the rotation nearest to Vᵀ B. Codes are the bits of V R > 0.
 *
 * SEM-PCYC's numpy port (`src/itq.py`) uses the transposed right singular vectors where the
 * MATLAB original uses them untransposed; this follows the paper and the MATLAB code.
 *
 * @param features `[rows, dim]` training embeddings.
 * @returns the model and the training features' codes.
 */
export function trainItq(
  features: Matrix,
  options: ItqOptions = {},
): { model: ItqModel; codes: BinaryCodes } {
  const where = 'trainItq';
  checkOptionNames(options, ['bits', 'iterations', 'seed', 'initialRotation'], where);
  const { rows, cols: dim } = features;
  const bits = options.bits ?? 64;
  const iterations = options.iterations ?? 50;
  if (!Number.isInteger(bits) || bits < 1 || bits > dim) {
    throw new MetricsError(
      `${where}: bits must be an integer from 1 to the feature dimension ${dim}, got ${bits}`,
    );
  }
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new MetricsError(`${where}: iterations must be an integer >= 0, got ${iterations}`);
  }
  if (rows < 2) throw new MetricsError(`${where}: needs at least 2 feature rows, got ${rows}`);
  if (options.initialRotation && options.initialRotation.length !== bits * bits) {
    throw new MetricsError(
      `${where}: initialRotation must hold bits x bits = ${bits * bits} values`,
    );
  }
  const mean = columnMeans(features);
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < dim; c++) centred[c] = features.data[r * dim + c]! - mean[c]!;
    for (let i = 0; i < dim; i++) {
      const v = centred[i]!;
      for (let j = i; j < dim; j++) covariance[i * dim + j]! += v * centred[j]!;
    }
  }
  for (let i = 0; i < dim * dim; i++) covariance[i]! /= rows - 1;
  const { vectors } = symmetricEigen(covariance, dim);
  const projection = new Float64Array(dim * bits);
  for (let c = 0; c < dim; c++) {
    for (let b = 0; b < bits; b++) projection[c * bits + b] = vectors[c * dim + b]!;
  }
  const v = project(features, mean, projection, bits);
  let rotation = options.initialRotation
    ? Float64Array.from(options.initialRotation)
    : randomRotation(bits, options.seed ?? 0);
  const vtb = new Float64Array(bits * bits);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const z = times(v, rows, rotation, bits);
    vtb.fill(0);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < bits; i++) {
        const vi = v[r * bits + i]!;
        for (let j = 0; j < bits; j++) vtb[i * bits + j]! += z[r * bits + j]! >= 0 ? vi : -vi;
      }
    }
    rotation = nearestRotation(vtb, bits);
  }
  const model: ItqModel = { dim, bits, mean, projection, rotation };
  return { model, codes: packSigns(times(v, rows, rotation, bits), rows, bits) };
}

/**
 * Codes of new features under a trained model: bits of ((x - centre) W R) > 0.
 * @param features `[rows, model.dim]`.
 */
export function encodeItq(
  model: ItqModel,
  features: Matrix,
  options: ItqEncodeOptions = {},
): BinaryCodes {
  checkOptionNames(options, ['center'], 'encodeItq');
  if (features.cols !== model.dim) {
    throw new MetricsError(
      `encodeItq: features have ${features.cols} dimensions, the model ${model.dim}`,
    );
  }
  const center = checkChoice(options.center ?? 'train', ['train', 'self'], 'center', 'encodeItq');
  const mean = center === 'train' ? model.mean : columnMeans(features);
  const v = project(features, mean, model.projection, model.bits);
  return packSigns(times(v, features.rows, model.rotation, model.bits), features.rows, model.bits);
}
