export type { AdversarialOptions } from './adversarial.js';
export { ADVERSARIAL_OPTIONS, adversarialLoss } from './adversarial.js';
export type { ClassificationOptions } from './classification.js';
export { CLASSIFICATION_OPTIONS, classificationLoss } from './classification.js';
export type { ContrastiveOptions } from './contrastive.js';
export { CONTRASTIVE_OPTIONS, contrastiveLoss } from './contrastive.js';
export type { Distance } from './distances.js';
export {
  cosineSimilarity,
  cosineSimilarityOf,
  DISTANCES,
  l2Normalize,
  l2NormalizeOf,
  pairwiseDistance,
  pairwiseDistanceOf,
} from './distances.js';
export { LossError } from './errors.js';
export { gatherRows, gatherRowsOf } from './gather-rows.js';
export type { IdentityMatchingOptions } from './identity-matching.js';
export { IDENTITY_OPTIONS, identityMatchingLoss } from './identity-matching.js';
export type {
  CriticScores,
  Loss,
  LossContext,
  LossExtras,
  LossFunction,
  LossResult,
  Modality,
  PerModality,
  Reconstruction,
} from './loss.js';
export { makeLoss } from './loss.js';
export type { LossConfig, LossTermConfig } from './loss-from-config.js';
export { LOSS_CONFIG, lossFromConfig } from './loss-from-config.js';
export { readOptions } from './read-options.js';
export type { ReconstructionOptions } from './reconstruction.js';
export { RECONSTRUCTION_OPTIONS, reconstructionLoss } from './reconstruction.js';
export type { Norm, Reduction } from './reduce.js';
export { NORMS, REDUCTIONS } from './reduce.js';
export type { LossFactory } from './registry.js';
export { createLoss, lossNames, registerLoss } from './registry.js';
export type { SemanticRegressionOptions } from './semantic-regression.js';
export { REGRESSION_OPTIONS, semanticRegressionLoss } from './semantic-regression.js';
export type { SideInfoOptions } from './side-info-reconstruction.js';
export { SIDE_INFO_OPTIONS, sideInfoLoss } from './side-info-reconstruction.js';
export type { TripletOptions } from './triplet.js';
export { TRIPLET_OPTIONS, tripletLoss } from './triplet.js';
export type { WeightedTerms } from './weighted.js';
export { weighted } from './weighted.js';
