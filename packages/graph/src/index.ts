export { gradients } from './gradients.js';
export type { AttributeValue, ConstantData, DType, GraphNode, Shape, Sym } from './graph.js';
export { broadcastShapes, Graph } from './graph.js';
export { graphOps } from './graph-ops.js';
export { OnnxError } from './onnx-error.js';
export { OPSET, toOnnxModel } from './onnx-model.js';
export type { CompileGraphOptions, CompileOptions, OnnxProgram } from './onnx-program.js';
export { compileGraph, importOnnxRuntime } from './onnx-program.js';
