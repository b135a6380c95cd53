import type { WadCmsnConfig } from './config.js';
import { ConfigError } from './config-error.js';

/** The adversarial loss's projector-side form for each critic kind. */
const ADVERSARIAL_KIND = {
  'wgan-gp': 'wasserstein',
  'wgan-lp': 'wasserstein',
  'wgan-clip': 'wasserstein',
  lsgan: 'lsgan',
  gan: 'gan',
} as const;

/**
 * The loss terms with the adversarial term matched to the critic (or dropped without one), and a
 * classification term's size and seed filled in from the model (`inputDim = d`, `classes` = seen
 * classes, seed derived from `config.seed`) unless the config gives them.
 *
 * @throws ConfigError when every term is off.
 */
export function lossTerms(
  config: WadCmsnConfig,
  seenClasses: number,
): Record<string, { weight: number; [k: string]: unknown }> {
  const terms = { ...config.losses };
  for (const [name, term] of Object.entries(terms)) {
    if ((term.loss ?? name) === 'classification') {
      terms[name] = {
        inputDim: config.embeddingDim,
        classes: seenClasses,
        seed: `${config.seed}/loss/${name}`,
        ...term,
      };
    }
  }
  const adversarial = terms.adversarial;
  if (config.critic.placement === 'none') {
    delete terms.adversarial;
  } else if (adversarial && adversarial.kind === undefined) {
    terms.adversarial = { ...adversarial, kind: ADVERSARIAL_KIND[config.critic.kind] };
  }
  if (Object.values(terms).every((t) => t.weight === 0)) {
    throw new ConfigError('config.losses: every loss term is off (weight 0 or null)');
  }
  return terms;
}
