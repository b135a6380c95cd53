import * as elementwise from './elementwise.js';
import type { OpDefinition } from './op-definition.js';
import * as reduce from './reduce.js';
import * as shape from './shape.js';

export type { GradientRule, OnnxForm, OpDefinition, ShapeRule } from './op-definition.js';

/** Every operation a {@link Graph} can hold, by ONNX type. */
export const OP_DEFINITIONS: readonly OpDefinition[] = [
  ...Object.values(elementwise),
  ...Object.values(reduce),
  ...Object.values(shape),
];

export { elementwise, reduce, shape };
