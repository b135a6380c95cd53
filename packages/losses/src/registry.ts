import { adversarialLoss } from './adversarial.js';
import { classificationLoss } from './classification.js';
import { contrastiveLoss } from './contrastive.js';
import { LossError } from './errors.js';
import { identityMatchingLoss } from './identity-matching.js';
import type { Loss } from './loss.js';
import { reconstructionLoss } from './reconstruction.js';
import { semanticRegressionLoss } from './semantic-regression.js';
import { sideInfoLoss } from './side-info-reconstruction.js';
import { tripletLoss } from './triplet.js';

/**
 * Builds a loss from JSON options. Built-in factories reject unknown options, listing the valid
 * ones; a user's factory should do the same (`readOptions` helps).
 */
export type LossFactory = (options: Record<string, unknown>) => Loss;

const BUILT_IN: Record<string, LossFactory> = {
  adversarial: adversarialLoss,
  identity: identityMatchingLoss,
  regression: semanticRegressionLoss,
  reconstruction: reconstructionLoss,
  'side-info': sideInfoLoss,
  classification: (options) => classificationLoss(options as { classes: number }),
  triplet: tripletLoss,
  contrastive: contrastiveLoss,
};

const registry = new Map<string, LossFactory>(Object.entries(BUILT_IN));

/** The names {@link createLoss} knows now: the built-ins, then those registered, in order. */
export function lossNames(): string[] {
  return [...registry.keys()];
}

/**
 * Builds a loss from its registry name and options, e.g. `createLoss('identity', { tau: 0.1 })`.
 * Built-ins: `adversarial`, `identity`, `regression`, `reconstruction`, `side-info`,
 * `classification`, `triplet`, `contrastive`.
 *
 * @throws LossError for an unknown name (listing the known ones) or an invalid option.
 */
export function createLoss(name: string, options: Record<string, unknown> = {}): Loss {
  const factory = registry.get(name);
  if (!factory) {
    throw new LossError(
      `createLoss: unknown loss '${name}'; known losses are ${lossNames().join(', ')}`,
    );
  }
  return factory(options);
}

/**
 * Adds a user's loss to the registry, so JSON configs can name it.
 *
 * @throws LossError when the name is taken (built-ins cannot be replaced) or empty.
 */
export function registerLoss(name: string, factory: LossFactory): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new LossError('registerLoss: the name must be a non-empty string');
  }
  if (registry.has(name)) {
    throw new LossError(`registerLoss: a loss named '${name}' is already registered`);
  }
  registry.set(name, factory);
}
