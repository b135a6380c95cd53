export type { Critic, CriticOptions } from './critic.js';
export { CRITIC_OPTION_NAMES, CRITIC_OPTIONS, createCritic } from './critic.js';
export type { CriticStepOptions, CriticStepResult } from './critic-step.js';
export { criticStep } from './critic-step.js';
export type {
  CriticLossValues,
  Discriminator,
  DiscriminatorConfig,
  DiscriminatorKind,
  DiscriminatorLoss,
  DiscriminatorLossOptions,
  DiscriminatorObjective,
  DiscriminatorOptions,
} from './discriminator.js';
export {
  createDiscriminator,
  criticLossOf,
  criticObjective,
  DISCRIMINATOR_KINDS,
  DISCRIMINATOR_OPTION_NAMES,
  DISCRIMINATOR_OPTIONS,
  discriminatorFromConfig,
  OBJECTIVE_OPTIONS,
  withObjective,
} from './discriminator.js';
export { CriticError } from './errors.js';
export type { GradientPenaltyOptions } from './gradient-penalty.js';
export { gradientPenalty, penaltyOf } from './gradient-penalty.js';
export type { CriticBatch, CriticName, CriticPair, CriticPlacement } from './placement.js';
export { CRITIC_PLACEMENTS, criticNames, criticPairs, projectorCriticScores } from './placement.js';
