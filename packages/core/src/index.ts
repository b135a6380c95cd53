export { tf } from './tf.js';
export type { Tensor, Tensor1D, Tensor2D, Scalar, Variable } from './tf.js';
export {
  initBackend,
  formatBackendReport,
  BackendError,
  BACKEND_NAMES,
} from './init-backend.js';
export type {
  BackendName,
  BackendReport,
  InitBackendOptions,
  SkippedBackend,
} from './init-backend.js';
export {
  batchMatMulGradConfig,
  installBatchMatMulGradient,
  isBatchMatMulGradientInstalled,
} from './batch-mat-mul-gradient.js';
export { activation, relu, leakyRelu, softplus, ACTIVATION_NAMES } from './activations.js';
export type { ActivationName, ActivationOptions } from './activations.js';
export { createRng } from './rng.js';
export type { Rng, RngOptions, RngState } from './rng.js';
export type { Split, Sample, Pixels, SkippedFile, Dataset, Matrix, FeatureSet } from './types.js';
