export type { Decoder, DecoderOptions } from './decoder.js';
export { createDecoder } from './decoder.js';
export { dropoutMask, dropoutMaskValues } from './dropout-mask.js';
export { SemanticError } from './errors.js';
export { midpointWidth } from './hidden-size.js';
export type { Mlp, MlpConfig, MlpOptions } from './mlp.js';
export {
  buildMlp,
  createMlp,
  MLP_OPTION_NAMES,
  MLP_OPTIONS,
  resolveMlpOptions,
} from './mlp.js';
export type { MlpForwardOptions, MlpLayout } from './mlp-forward.js';
export { mlpForward } from './mlp-forward.js';
export type { SemanticModuleConfig } from './module-from-config.js';
export { MODULE_KINDS, moduleFromConfig } from './module-from-config.js';
export type { Projector, ProjectorOptions } from './projector.js';
export { createProjector } from './projector.js';
export type { ApplyOptions, SemanticModule } from './semantic-module.js';
export type {
  SideInfoAutoencoder,
  SideInfoAutoencoderConfig,
  SideInfoAutoencoderOptions,
} from './side-info-autoencoder.js';
export { createSideInfoAutoencoder } from './side-info-autoencoder.js';
export type { WeightInit } from './weight-init.js';
export { initWeights, WEIGHT_INITS } from './weight-init.js';
