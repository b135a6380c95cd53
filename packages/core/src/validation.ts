// The subpath `@zs-sbir/core/validation`: the validation helpers without TensorFlow.js, for
// packages that bundle them (metrics).
export type { NumberBounds } from './option-schemas.js';
export { integerSchema, numberSchema, oneOfSchema, seedSchema } from './option-schemas.js';
export type { ErrorClass, ValidationTarget } from './validate.js';
export { describeIssues, formatValue, validate, validateJson } from './validate.js';
