export type {
  Backbone,
  BackboneEngine,
  GraphBackbone,
  OnnxGraphBackbone,
  TfjsBackbone,
  TfjsGraphBackbone,
} from './backbone.js';
export type { WeightMismatch } from './backbone-error.js';
export { BackboneError, WeightMismatchError } from './backbone-error.js';
export type {
  ExtractedFeatures,
  ExtractFeaturesOptions,
  ExtractProgress,
  Modality,
  PipelineOptions,
} from './extract-features.js';
export { DEFAULT_PIPELINE, extractFeatures } from './extract-features.js';
export type { FileIOHandler } from './file-io-handler.js';
export { fileIOHandler, registerFileRouter } from './file-io-handler.js';
export type { FineTuneOptions, FineTuneProgress, FineTuneResult } from './fine-tune.js';
export { fineTuneBackbone } from './fine-tune.js';
export { checkBackbone, loadBackbone } from './load-backbone.js';
export type {
  BackboneName,
  GraphBackboneOptions,
  GraphEngine,
  InceptionV3BackboneOptions,
  LayersBackboneOptions,
  LoadBackboneOptions,
  MobileNetV2BackboneOptions,
  OnnxBackboneOptions,
  Resnet50BackboneOptions,
  SmallCnnBackboneOptions,
  TfjsBackboneOptions,
  TfjsBackboneOptionsBase,
  Vgg16BackboneOptions,
} from './load-backbone-options.js';
export { BACKBONE_NAMES, GRAPH_ENGINES } from './load-backbone-options.js';
export type { OnnxBackbone } from './onnx-backbone.js';
export type { SafetensorsEntry, SafetensorsFile } from './safetensors.js';
export { openSafetensors } from './safetensors.js';
export { sampleStamps } from './sample-stamps.js';
export type { WorkerBackboneOptions } from './worker-backbone.js';
export { loadWorkerBackbone } from './worker-backbone.js';
