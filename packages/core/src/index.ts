export type { ActivationName, ActivationOptions } from './activations.js';
export { ACTIVATION_NAMES, activation, leakyRelu, relu, softplus } from './activations.js';
export {
  batchMatMulGradConfig,
  installBatchMatMulGradient,
  isBatchMatMulGradientInstalled,
} from './batch-mat-mul-gradient.js';
export type {
  BackendName,
  BackendReport,
  InitBackendOptions,
  SkippedBackend,
} from './init-backend.js';
export {
  BACKEND_NAMES,
  BackendError,
  formatBackendReport,
  initBackend,
} from './init-backend.js';
export { loadOnnxRuntime, OnnxRuntimeError } from './load-onnx-runtime.js';
export type { Ops } from './ops.js';
export { tfOps } from './ops.js';
export type { Rng, RngOptions, RngState } from './rng.js';
export { createRng } from './rng.js';
export type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from './tf.js';
export { tf } from './tf.js';
export type { Dataset, Pixels, Sample, SkippedFile, Split } from './types.js';
export type { ErrorClass, NumberBounds, ValidationTarget } from './validation.js';
export {
  describeIssues,
  formatValue,
  integerSchema,
  numberSchema,
  oneOfSchema,
  seedSchema,
  validate,
  validateJson,
} from './validation.js';
export { installWasmConvGradients, WASM_MISSING_CONV_KERNELS } from './wasm-conv-gradients.js';
