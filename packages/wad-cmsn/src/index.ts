export type { CheckpointManifest, LoadedCheckpoint, TrainingState } from './checkpoint.js';
export { hasCheckpoint, loadCheckpoint, saveCheckpoint, verifyCheckpoint } from './checkpoint.js';
export type { InputNormalisation, WadCmsnConfig, WadCmsnConfigInput } from './config.js';
export { DEFAULT_CONFIG, INPUT_NORMALISATIONS, resolveConfig, WAD_CMSN_CONFIG } from './config.js';
export { ConfigError } from './config-error.js';
export { configReference } from './config-reference.js';
export { CheckpointError, TrainingError } from './errors.js';
export type { FeatureStats } from './input-stats.js';
export { featureStats, identityStats, normalisationStats, unitRows } from './input-stats.js';
export type { OnnxTrainer, OnnxTrainerOptions } from './onnx/onnx-trainer.js';
export { createOnnxTrainer } from './onnx/onnx-trainer.js';
export type { PairBatch, PairSampler, PairSamplerOptions } from './pair-sampler.js';
export { createPairSampler } from './pair-sampler.js';
export type {
  EpochReport,
  TrainEngine,
  TrainOptions,
  TrainResult,
  ValidationSet,
} from './train-loop.js';
export { TRAIN_ENGINES, trainingFinished, trainWadCmsn, validationMAP } from './train-loop.js';
export type {
  Branch,
  StepResult,
  TrainBatch,
  WadCmsn,
  WadCmsnDims,
  WadCmsnSetup,
} from './wad-cmsn.js';
export { createWadCmsn } from './wad-cmsn.js';
